use brickdesk_ipc::CatalogQuery;
use leptos::prelude::*;

use crate::components::catalog_drawer::{CatalogDrawerCtl, OpenCatalog};
use crate::i18n::{t, tf};
use crate::state::Epochs;
use crate::{format, ipc};

/// Look up any item in the local catalog cache (the drawer opens over this page), and the seller's
/// recent look-ups.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let ctl = expect_context::<CatalogDrawerCtl>();
    // A look-up is recorded when the drawer reads it; a refresh that lands names the item.
    let recent = LocalResource::new(move || {
        epochs.catalog.track();
        ctl.looked_up.track();
        ipc::catalog_recent()
    });
    let item_no = RwSignal::new(String::new());
    let item_type = RwSignal::new(format::ITEM_TYPES[0].to_string());
    let color = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match format::search_query(&item_no.get_untracked(), &item_type.get_untracked(), &color.get_untracked()) {
            Ok(q) => {
                error.set(None);
                ctl.open(q);
            }
            Err(m) => error.set(Some(m)),
        }
    };
    view! {
        <section id="page-catalog">
            <h1>{t("cat-title")}</h1>
            <form class="toolbar catalog-search" id="catalog-search-form" on:submit=search>
                <input id="catalog-search" type="search" placeholder=t("cat-search-placeholder") aria-label=t("cat-search-label")
                    autocomplete="off" spellcheck="false" bind:value=item_no />
                <select id="catalog-type" aria-label=t("cat-type-label") on:change=move |ev| item_type.set(event_target_value(&ev))>
                    {format::ITEM_TYPES.into_iter().map(|code| view! { <option value=code>{format::item_type_label(code)}</option> }).collect_view()}
                </select>
                <input id="catalog-color" class="narrow" type="text" inputmode="numeric" placeholder=t("cat-colour-id")
                    aria-label=t("cat-colour-id") autocomplete="off" bind:value=color />
                <button id="catalog-search-go" type="submit">{t("cat-search-go")}</button>
            </form>
            {move || error.get().map(|m| view! { <p class="notice error" role="alert" id="catalog-search-error">{m}</p> })}
            <p class="help">{t("cat-search-help")}</p>
            <h2 class="section">{t("cat-recent")}</h2>
            <Transition fallback=|| view! { <p class="muted">{t("cat-loading")}</p> }>
                {move || recent.get().map(|r| match r {
                    Err(e) => view! { <p class="notice error" role="alert">{tf("cat-recent-error", &[("error", e.message.into())])}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted" id="catalog-recent-empty">{t("cat-recent-empty")}</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="recent" id="catalog-recent">
                            {list.into_iter().map(|r| {
                                let query = CatalogQuery { item_no: r.item_no.clone(), item_type: Some(r.item_type.clone()), color_id: None };
                                let name = if r.name.is_empty() { t("cat-not-cached") } else { r.name.clone() };
                                view! {
                                    <li data-item-no=r.item_no.clone() data-item-type=r.item_type.clone()>
                                        <OpenCatalog query=query />
                                        <span class="recent-name">{name}</span>
                                        <span class="muted">{format::item_type_label(&r.item_type)} " · " {format::time_of_day(&r.looked_up_at)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
