//! How a part looks wherever a lot or an order line appears (inventory, order panel, pick list):
//! its picture (small, loaded lazily from the shell's image cache, hidden when there is none),
//! its name from the catalog, and its colour's swatch and name.

use leptos::prelude::*;

use crate::format;
use crate::i18n::t;

/// A small picture of the item; nothing while unknown or unloadable (the row never waits for it).
#[component]
pub fn Thumb(url: Option<String>) -> impl IntoView {
    let src = url.as_deref().and_then(format::thumb_src);
    let broken = RwSignal::new(false);
    move || {
        (!broken.get()).then(|| src.clone()).flatten().map(|src| {
            view! { <img class="thumb" src=src alt="" loading="lazy" decoding="async" width="32" height="26" on:error=move |_| broken.set(true) /> }
        })
    }
}

/// The item's catalog name, cut with an ellipsis when long (the whole name is its tooltip).
#[component]
pub fn ItemName(name: String) -> impl IntoView {
    (!name.trim().is_empty()).then(|| {
        let title = name.clone();
        // Data, not words of the window: a translator (and the language test) leaves it alone.
        view! { <span class="item-name" title=title translate="no">{name}</span> }
    })
}

/// The colour as sellers know it: a swatch and its name (`#id` while the catalog has no name).
#[component]
pub fn ColourLabel(color_id: i64, name: String, hex: String) -> impl IntoView {
    let swatch = format::swatch_color(&hex);
    let label = format::colour_label(color_id, &name);
    let title = format::colour(color_id, &name);
    view! {
        <span class="colour-label" title=title data-color-id=color_id.to_string() translate="no">
            {match swatch {
                Some(c) => view! { <span class="swatch" style:background-color=c aria-hidden="true"></span> }.into_any(),
                None => view! { <span class="swatch unknown" aria-hidden="true" title=t("part-no-swatch")></span> }.into_any(),
            }}
            <span class="colour-name">{label}</span>
        </span>
    }
}
