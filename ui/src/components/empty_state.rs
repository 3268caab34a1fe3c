use leptos::prelude::*;

/// An empty list's title and hint: the caller's texts (from the catalogue).
#[component]
pub fn EmptyState(#[prop(into)] title: String, #[prop(into)] hint: String) -> impl IntoView {
    view! {
        <div class="empty">
            <h2>{title}</h2>
            <p>{hint}</p>
        </div>
    }
}
