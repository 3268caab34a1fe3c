use brickdesk_ipc::{CatalogColor, CatalogPart, CatalogQuery};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{t, tf};
use crate::state::Epochs;
use crate::{format, ipc};

/// Opens the catalog drawer from any page (provided by `App`): an order line, a lot or the Catalog
/// page's search sets a query; `None` closes the drawer.
#[derive(Clone, Copy)]
pub struct CatalogDrawerCtl {
    pub query: RwSignal<Option<CatalogQuery>>,
    /// Bumped when the drawer has shown a newly opened item (the engine recorded the look-up): the
    /// Catalog page's recent list refetches on it.
    pub looked_up: RwSignal<u32>,
}

impl CatalogDrawerCtl {
    pub fn new() -> CatalogDrawerCtl {
        CatalogDrawerCtl { query: RwSignal::new(None), looked_up: RwSignal::new(0) }
    }

    pub fn open(&self, query: CatalogQuery) {
        self.query.set(Some(query));
    }

    pub fn close(&self) {
        self.query.set(None);
    }
}

/// A small "open in the catalog" link on an item number (order lines, lots, recent look-ups).
#[component]
pub fn OpenCatalog(query: CatalogQuery, #[prop(optional)] label: Option<String>) -> impl IntoView {
    let ctl = expect_context::<CatalogDrawerCtl>();
    let item_no = query.item_no.clone();
    let text = label.unwrap_or_else(|| item_no.clone());
    view! {
        <button type="button" class="link mono open-catalog" data-item-no=item_no title=t("cat-open-title")
            on:click=move |ev| {
                // A row may react to clicks of its own.
                ev.stop_propagation();
                ctl.open(query.clone())
            }>
            {text}
        </button>
    }
}

/// The catalog drawer: one item from the local cache at once, over whatever page is shown (the page
/// stays usable beside it). Like the status bar it is app chrome and fetches for itself; its
/// resource tracks the `catalog` epoch, so a refresh that lands updates it in place. Catalog text
/// (names, colour names, errors) goes into text nodes: never HTML.
#[component]
pub fn CatalogDrawer() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let ctl = expect_context::<CatalogDrawerCtl>();
    // Every answer is numbered when it is asked for: a read of the cache (on opening, and on each
    // `catalog-changed`) or a "Refresh now", whose own answer (`refreshing`) shows at once. The
    // newest-asked answer is shown, so a slow reply never puts an older state back.
    let asked = StoredValue::new(0u64);
    let ticket = move || {
        asked.update_value(|n| *n += 1);
        asked.get_value()
    };
    let part = LocalResource::new(move || {
        let query = ctl.query.get();
        epochs.catalog.track();
        let n = ticket();
        async move {
            match query {
                Some(q) => ipc::catalog_part(&q).await.map(|p| Some((n, q, p))),
                None => Ok(None),
            }
        }
    });
    let refreshed = RwSignal::new(None::<(u64, CatalogQuery, CatalogPart)>);
    // What is shown: the answer for the query open now (never the previous item's while the next
    // one loads). Unchanged refetches notify nothing, so the image is not reloaded.
    let current = Memo::new(move |_| {
        let open = ctl.query.get()?;
        let read = match part.get() {
            Some(Ok(Some((n, q, p)))) if q == open => Some((n, p)),
            _ => None,
        };
        let refreshed = refreshed.get().filter(|(_, q, _)| *q == open).map(|(n, _, p)| (n, p));
        [read, refreshed].into_iter().flatten().max_by_key(|(n, _)| *n).map(|(_, p)| p)
    });
    let load_error = Memo::new(move |_| match part.get() {
        Some(Err(e)) => Some(e.message),
        _ => None,
    });
    // A newly opened item was looked up (and recorded by the engine): the recent list refetches.
    let recorded = StoredValue::new(None::<CatalogQuery>);
    Effect::new(move |_| {
        if current.with(Option::is_some) {
            let open = ctl.query.get_untracked();
            if recorded.get_value() != open {
                recorded.set_value(open);
                crate::state::bump(ctl.looked_up);
            }
        }
    });

    let refreshing = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let refresh = move |_| {
        let Some(query) = ctl.query.get_untracked() else { return };
        refreshing.set(true);
        let n = ticket();
        spawn_local(async move {
            match ipc::catalog_refresh_now(&query).await {
                // Queued: shown as `refreshing` at once; the data lands as `catalog-changed`.
                Ok(p) => {
                    refreshed.set(Some((n, query, p)));
                    notice.set(None);
                }
                // A refused call sends no event: refetch so the drawer shows what is stored.
                Err(e) => {
                    notice.set(Some(tf("cat-refresh-error", &[("error", e.message.into())])));
                    crate::state::bump(epochs.catalog);
                }
            }
            refreshing.set(false);
        });
    };
    // A new item starts without the last one's notice.
    Effect::new(move |_| {
        ctl.query.track();
        notice.set(None);
    });

    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && ctl.query.with_untracked(Option::is_some) {
            ctl.close();
        }
    });
    on_cleanup(move || escape.remove());

    let status = Memo::new(move |_| current.with(|p| p.as_ref().map(|p| p.status)));
    let title = move || {
        ctl.query.with(|q| {
            q.as_ref()
                .map(|q| format!("{} {}", format::item_type_label(q.item_type.as_deref().unwrap_or("PART")), q.item_no))
                .unwrap_or_default()
        })
    };
    let name = move || current.with(|p| p.as_ref().and_then(|p| p.data.as_ref()).map(|d| d.name.clone()).unwrap_or_default());
    let has_data = move || current.with(|p| p.as_ref().is_some_and(|p| p.data.is_some()));

    view! {
        <Show when=move || ctl.query.with(Option::is_some)>
            <aside class="catalog-drawer" id="catalog-drawer" role="dialog" aria-label=t("cat-drawer-label")>
                <header>
                    <div class="catalog-title">
                        <span class="muted mono" id="catalog-item">{title}</span>
                        <h2 id="catalog-name">{name}</h2>
                    </div>
                    <button class="secondary small" id="catalog-close" title=t("cat-close-title")
                        on:click=move |_| ctl.close()>{t("cat-close")}</button>
                </header>
                <div class="catalog-state">
                    <span id="catalog-status" class=move || status.get().map(format::catalog_badge_class).unwrap_or("badge muted")>
                        {move || status.get().map(format::catalog::catalog_status).unwrap_or_else(|| "…".into())}
                    </span>
                    <span class="muted" id="catalog-age">
                        {move || current.with(|p| p.as_ref().map(|p| format::fetched_label(p.fetched_at.as_deref())))}
                    </span>
                    <span class="spacer"></span>
                    <button class="secondary small" id="catalog-refresh" disabled=move || refreshing.get() || current.with(Option::is_none)
                        on:click=refresh>
                        {t("cat-refresh")}
                    </button>
                </div>
                {move || load_error.get().map(|m| view! { <p class="notice error" role="alert">{tf("cat-load-error", &[("error", m.into())])}</p> })}
                {move || notice.get().map(|m| view! { <p class="notice error" role="alert" id="catalog-notice">{m}</p> })}
                {move || current.with(|p| p.as_ref().and_then(|p| p.last_error.clone())).map(|e| view! {
                    <p class="notice error" id="catalog-last-error">{tf("cat-last-error", &[("error", e.into())])}</p>
                })}
                <Show when=has_data fallback=move || view! {
                    <p class="muted" id="catalog-empty">
                        {move || if current.with(Option::is_some) {
                            t("cat-fetching")
                        } else {
                            t("cat-reading")
                        }}
                    </p>
                }>
                    <CatalogFacts current=current />
                </Show>
            </aside>
        </Show>
    }
}

/// Image, facts, colours and price guide of the item shown.
#[component]
fn CatalogFacts(current: Memo<Option<CatalogPart>>) -> impl IntoView {
    let ctl = expect_context::<CatalogDrawerCtl>();
    let item = Memo::new(move |_| current.with(|p| p.as_ref().and_then(|p| p.data.clone())));
    let field = move |f: fn(&brickdesk_ipc::CatalogItem) -> String| item.with(|i| i.as_ref().map(f).unwrap_or_default());
    let src = Memo::new(move |_| item.with(|i| i.as_ref().and_then(|i| format::thumb_src(&i.image_url))));
    // The URL that failed to load (offline, or refused): a placeholder until another URL comes.
    let failed = RwSignal::new(None::<String>);
    let image = move || match src.get() {
        Some(url) if failed.with(|f| f.as_ref() != Some(&url)) => {
            let alt = field(|i| i.name.clone());
            let on_error = url.clone();
            view! { <img id="catalog-image" loading="lazy" src=url alt=alt on:error=move |_| failed.set(Some(on_error.clone())) /> }
                .into_any()
        }
        Some(_) => view! { <div class="img-placeholder" id="catalog-image-placeholder">{t("cat-image-unavailable")}</div> }.into_any(),
        None => view! { <div class="img-placeholder" id="catalog-image-placeholder">{t("cat-no-image")}</div> }.into_any(),
    };
    let colors = move || item.with(|i| i.as_ref().map(|i| i.colors.clone()).unwrap_or_default());
    let guides = Memo::new(move |_| item.with(|i| i.as_ref().map(|i| i.price_guides.clone()).unwrap_or_default()));
    let asked_color = move || ctl.query.with(|q| q.as_ref().and_then(|q| q.color_id));
    let choose = move |color_id: i64| {
        ctl.query.update(|q| {
            if let Some(q) = q {
                q.color_id = Some(color_id);
            }
        })
    };
    let price_caption = move || {
        let colour = asked_color().map(|id| {
            let name = colors().into_iter().find(|c| c.color_id == id).map(|c| c.name).unwrap_or_default();
            tf("cat-prices-colour", &[("colour", format::colour(id, &name).into())])
        });
        guides.with(|g| {
            let mut parts: Vec<String> = colour.into_iter().collect();
            let currency = format::price_currency(g);
            if !currency.is_empty() {
                parts.push(currency);
            }
            parts.push(format::fetched_label(format::oldest_fetch(g).as_deref()));
            parts.join(" · ")
        })
    };
    view! {
        <div class="catalog-body">
            <div class="catalog-image">{image}</div>
            <dl class="facts catalog-facts" id="catalog-facts">
                <dt>{t("cat-fact-category")}</dt><dd id="catalog-category">{move || field(|i| i.category_id.to_string())}</dd>
                <dt>{t("cat-fact-year")}</dt><dd id="catalog-year">{move || field(|i| format::year(i.year_released))}</dd>
                <dt>{t("cat-fact-weight")}</dt><dd id="catalog-weight">{move || field(|i| format::weight(&i.weight))}</dd>
                <dt>{t("cat-fact-size")}</dt><dd id="catalog-size">{move || field(|i| format::size(&i.dim_x, &i.dim_y, &i.dim_z))}</dd>
            </dl>
        </div>
        <h3>{t("cat-colours")}</h3>
        <Show when=move || !colors().is_empty() fallback=|| view! { <p class="muted">{t("cat-no-colours")}</p> }>
            <ul class="swatches" id="catalog-colors" translate="no">
                <For each=colors key=|c| (c.color_id, c.name.clone(), c.hex.clone()) let:c>
                    <Swatch c=c selected=Signal::derive(asked_color) on_choose=Callback::new(choose) />
                </For>
            </ul>
        </Show>
        <h3>{t("cat-price-guide")}</h3>
        {move || {
            if !guides.with(Vec::is_empty) {
                let rows = guides.with(|g| format::price_rows(g));
                view! {
                    <p class="muted" id="catalog-prices-caption">{price_caption}</p>
                    <p class="muted small">{t("cat-prices-legend")}</p>
                    <table class="grid" id="catalog-prices">
                        <thead><tr>
                            <th aria-label=t("cat-col-guide")></th><th class="num">{t("cat-col-min")}</th><th class="num">{t("cat-col-avg")}</th>
                            <th class="num">{t("cat-col-max")}</th><th class="num">{t("cat-col-qty")}</th><th class="num">{t("cat-col-lots")}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr data-guide=r.key.clone()>
                                    <td>{r.label.clone()}</td>
                                    <td class="num">{r.min.clone()}</td>
                                    <td class="num" title=tf("cat-qty-avg-title", &[("price", r.qty_avg.clone().into())])>{r.avg.clone()}</td>
                                    <td class="num">{r.max.clone()}</td>
                                    <td class="num">{format::grouped(r.quantity)}</td>
                                    <td class="num">{format::grouped(r.lots)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            } else if asked_color().is_none() {
                view! { <p class="muted" id="catalog-prices-hint">{t("cat-prices-pick")}</p> }.into_any()
            } else {
                view! { <p class="muted" id="catalog-prices-hint">{t("cat-prices-none")}</p> }.into_any()
            }
        }}
    }
}

/// One colour: its swatch and name; clicking it shows that colour's price guide.
#[component]
fn Swatch(c: CatalogColor, #[prop(into)] selected: Signal<Option<i64>>, on_choose: Callback<i64>) -> impl IntoView {
    let id = c.color_id;
    let fill = format::swatch_color(&c.hex);
    let unknown = fill.is_none();
    let label = format::colour(id, &c.name);
    view! {
        <li class="swatch" class:selected=move || selected.get() == Some(id) data-color-id=id.to_string()>
            <button type="button" class="link" title=label.clone() on:click=move |_| on_choose.run(id)>
                // A style property set through the CSSOM (the CSP refuses style attributes); only
                // a validated `#RRGGBB` reaches it.
                <span class="chip" class:unknown=unknown style:background-color=fill></span>
                <span class="swatch-name">{label.clone()}</span>
            </button>
        </li>
    }
}
