use leptos::prelude::*;

#[component]
pub fn EmptyState(title: &'static str, hint: &'static str) -> impl IntoView {
    view! {
        <div class="empty">
            <h2>{title}</h2>
            <p>{hint}</p>
        </div>
    }
}
