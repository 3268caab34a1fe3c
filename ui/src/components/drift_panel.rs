use brickdesk_ipc::{DriftChoice, DriftReport};
use leptos::prelude::*;

use crate::components::credential_form::Notice;
use crate::format::{self, DriftRow};
use crate::i18n::{t, tf};

/// The lots the seller settled in this window, for the report checked at `.0`: the saved report
/// still lists them until the next check. App-wide, so leaving the page keeps them settled.
#[derive(Clone, Copy)]
pub struct DriftSettled(pub RwSignal<(String, Vec<i64>)>);

impl DriftSettled {
    pub fn new() -> DriftSettled {
        DriftSettled(RwSignal::new((String::new(), Vec::new())))
    }
}

/// The drift check: "Check the stores for changes" (one read of each store in sync, nothing
/// changed), when it last ran, and one row per difference, named by marketplace. A lot whose
/// quantity or price was changed on a marketplace's website offers the seller's choice; a lot only
/// there, or gone from it, is explained (the seller imports or deletes). Marketplace values go into text nodes: never HTML.
#[component]
pub fn DriftPanel(
    /// The last report (`None`: never checked).
    #[prop(into)]
    report: Signal<Option<DriftReport>>,
    /// Its drifts still to settle, as they read.
    #[prop(into)]
    rows: Signal<Vec<DriftRow>>,
    #[prop(into)] checking: Signal<bool>,
    /// The lot being settled now.
    #[prop(into)]
    resolving: Signal<Option<i64>>,
    #[prop(into)] notice: Signal<Option<Notice>>,
    on_check: Callback<()>,
    on_resolve: Callback<(i64, DriftChoice)>,
) -> impl IntoView {
    let count = Memo::new(move |_| rows.with(Vec::len));
    let checked = move || report.with(|r| format::drift_checked_label(r.as_ref().map(|r| r.checked_at.as_str())));
    view! {
        <details class="drift-panel" id="drift-panel" open>
            <summary>
                <span class="drift-title">{t("lots-drift-title")}</span>
                " "
                <span id="drift-count" class=move || { if count.get() > 0 { "badge warn" } else { "badge muted" } }>
                    {move || if report.with(Option::is_some) { format::drift_summary(count.get()) } else { t("lots-drift-not-checked") }}
                </span>
            </summary>
            <div class="drift-bar">
                <button type="button" class="secondary small" id="drift-check" disabled=move || checking.get()
                    title=t("lots-drift-check-title")
                    on:click=move |_| on_check.run(())>
                    {move || if checking.get() { t("lots-drift-checking") } else { t("lots-drift-check") }}
                </button>
                <span class="muted" id="drift-checked">{checked}</span>
            </div>
            {move || match notice.get() {
                Some(Notice::Ok(m)) => view! { <p class="notice ok" id="drift-notice">{m}</p> }.into_any(),
                Some(Notice::Error(m)) => view! { <p class="notice error" role="alert" id="drift-notice">{m}</p> }.into_any(),
                None => ().into_any(),
            }}
            <Show when=move || { count.get() > 0 }>
                <table class="grid" id="drift-table">
                    <caption>{t("lots-drift-caption")}</caption>
                    <thead>
                        <tr>
                            <th>{t("lots-drift-col-lot")}</th>
                            <th class="num">{t("lots-drift-col-for-sale")}</th>
                            <th class="num">{t("lots-drift-col-price")}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows.get().into_iter().map(|row| view! { <DriftRowView row=row resolving=resolving on_resolve=on_resolve /> }).collect_view()}
                    </tbody>
                </table>
            </Show>
        </details>
    }
}

#[component]
fn DriftRowView(row: DriftRow, resolving: Signal<Option<i64>>, on_resolve: Callback<(i64, DriftChoice)>) -> impl IntoView {
    let lot = row.lot_id;
    let busy = move || resolving.get().is_some();
    let market = || [("market", row.market.as_str().into())];
    let keep_title = tf("lots-drift-keep-title", &market());
    let take_title = tf("lots-drift-take-title", &market());
    let take_label = tf("lots-drift-take", &market());
    let choice = move |c: DriftChoice| {
        if let Some(id) = lot {
            on_resolve.run((id, c));
        }
    };
    view! {
        <tr class="drift-row" data-lot-id=lot.map(|id| id.to_string()) data-remote-id=row.remote_id.clone() data-kind=row.kind.clone()>
            <td class="drift-what">{row.what.clone()}</td>
            {match row.note.clone() {
                Some(note) => view! { <td colspan="3" class="drift-note">{note}</td> }.into_any(),
                None => view! {
                    <td class="num drift-quantity" class:changed=row.quantity_differs>{row.quantity.clone().unwrap_or_default()}</td>
                    <td class="num drift-price" class:changed=row.price_differs>{row.price.clone().unwrap_or_default()}</td>
                    <td class="actions">
                        <Show when=move || row.resolvable>
                            <button type="button" class="secondary small keep-local" disabled=busy
                                title=keep_title.clone()
                                on:click=move |_| choice(DriftChoice::KeepLocal)>
                                {t("lots-drift-keep")}
                            </button>
                            <button type="button" class="primary small take-marketplace" disabled=busy
                                title=take_title.clone()
                                on:click=move |_| choice(DriftChoice::TakeMarketplace)>
                                {take_label.clone()}
                            </button>
                        </Show>
                    </td>
                }.into_any(),
            }}
        </tr>
    }
}
