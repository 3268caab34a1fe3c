use leptos::prelude::*;

use crate::components::empty_state::EmptyState;

/// Part data, colours and price guide cached from BrickLink.
#[component]
pub fn CatalogPage() -> impl IntoView {
    view! {
        <section id="page-catalog">
            <h1>"Catalog"</h1>
            <EmptyState
                title="Catalog cache is empty"
                hint="Part data and price guides are fetched from BrickLink once credentials are set."
            />
        </section>
    }
}
