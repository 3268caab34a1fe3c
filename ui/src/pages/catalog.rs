use leptos::prelude::*;

use crate::components::empty_state::EmptyState;

/// Part data, colours and price guide cached from BrickLink.
#[component]
pub fn CatalogPage() -> impl IntoView {
    view! {
        <section id="page-catalog">
            <h1>"Catalog"</h1>
            <EmptyState
                title="Catalog: coming next"
                hint="Part data, colours and price guides from BrickLink will be cached here. This page does not fetch anything yet."
            />
        </section>
    }
}
