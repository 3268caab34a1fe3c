use brickdesk_ipc::{OrderSummary, OrdersSort};
use leptos::prelude::*;

use crate::format;
use crate::i18n::{t, tf};
use crate::paging::{self, Pager, Slot};

/// Pixels per order row, as the CSS draws it (`#orders-table tr.order-row`).
pub const ROW_HEIGHT: f64 = 34.0;

/// Columns of an order row.
const COLUMNS: usize = 9;

/// The orders table, virtualised: only the rows in view (and a few either side) are in the page,
/// fetched a page at a time by `pager`. Column headers sort (again: the other way). Buyer names
/// are text nodes: markup in them shows as typed, never renders.
#[component]
pub fn OrdersTable(
    pager: Pager<OrderSummary>,
    #[prop(into)] selected: Signal<Option<i64>>,
    /// The column and whether descending.
    sort: RwSignal<(OrdersSort, bool)>,
    on_select: Callback<i64>,
    /// The orders ticked for the pick list, marking and slips.
    #[prop(into)]
    checked: Signal<Vec<i64>>,
    on_check: Callback<(i64, bool)>,
) -> impl IntoView {
    let drawn = paging::drawn(pager);
    Effect::new(move |_| {
        drawn.slots.track();
        pager.measure("tr.order-row");
    });
    let header = move |key: OrdersSort, label: String, num: bool| {
        view! {
            <th class="sortable" class:num=num data-sort=sort_name(key) title=t("ord-sort-title")
                on:click=move |_| sort.update(|s| *s = format::toggle_sort(*s, key, format::orders_sort_starts_descending(key)))>
                {label}
                {move || format::sort_arrow(sort.get(), key)}
            </th>
        }
    };
    // Only while it has a height: WebKit's hit testing misses the cells of a table section that
    // holds a zero-height row (clicks on the rows went nowhere).
    let spacer = |height: Signal<Option<String>>| {
        move || {
            height.get().map(|h| {
                view! { <tr class="spacer" aria-hidden="true"><td colspan=COLUMNS.to_string() style:height=h></td></tr> }
            })
        }
    };
    view! {
        <div class="vscroll" id="orders-scroll" node_ref=pager.scroller on:scroll=move |_| pager.on_scroll()>
            <table class="grid vgrid" id="orders-table">
                <thead>
                    <tr>
                        {header(OrdersSort::Marketplace, t("ord-col-market"), false)}
                        {header(OrdersSort::ExternalId, t("ord-col-order"), false)}
                        {header(OrdersSort::Date, t("ord-col-date"), false)}
                        {header(OrdersSort::Buyer, t("ord-col-buyer"), false)}
                        <th class="num">{t("ord-col-items")}</th>
                        {header(OrdersSort::Total, t("ord-col-total"), true)}
                        {header(OrdersSort::Fulfillment, t("ord-col-status"), false)}
                        <th>{t("ord-col-picked")}</th>
                        <th title=t("ord-col-select-title")>{t("ord-col-select")}</th>
                    </tr>
                </thead>
                <tbody>
                    {spacer(drawn.above)}
                    // Keyed by the whole summary: an order that changed is drawn again.
                    <For each=move || drawn.slots.get() key=|s| s.clone() let:slot>
                        {match slot {
                            Slot::Row(o) => order_row(o, selected, on_select, checked, on_check).into_any(),
                            Slot::Hole(_) => view! {
                                <tr class="hole-row"><td colspan=COLUMNS.to_string() class="muted">"…"</td></tr>
                            }
                            .into_any(),
                        }}
                    </For>
                    {spacer(drawn.below)}
                </tbody>
            </table>
        </div>
    }
}

fn order_row(
    o: OrderSummary,
    selected: Signal<Option<i64>>,
    on_select: Callback<i64>,
    checked: Signal<Vec<i64>>,
    on_check: Callback<(i64, bool)>,
) -> impl IntoView {
    let id = o.id;
    let status_title = tf("ord-market-says", &[("market", o.marketplace.display_name().into()), ("status", o.status.clone().into())]);
    view! {
        <tr
            class="order-row"
            class:selected=move || selected.get() == Some(id)
            class:new=o.is_new
            data-order-id=id.to_string()
            data-external-id=o.external_id.clone()
            data-marketplace=o.marketplace.as_str()
            on:click=move |_| on_select.run(id)
        >
            <td>{o.marketplace.display_name()}</td>
            <td class="mono" title=o.external_id.clone()>
                {format::order_number(o.marketplace, &o.external_id)}
                {o.is_new.then(|| view! { <span class="badge new">{t("ord-badge-new")}</span> })}
            </td>
            <td>{format::short_time(Some(&o.date_ordered))}</td>
            <td class="buyer">{o.buyer_name.clone()}</td>
            <td class="num">{format::grouped(o.pieces)}</td>
            <td class="num">{format::money(&o.total, &o.currency)}</td>
            <td class="fulfilment" title=status_title data-fulfillment=o.fulfillment_status.as_str()>
                <span class=format!("badge status-{}", o.fulfillment_status.as_str())>{format::orders::fulfilment_label(o.fulfillment_status)}</span>
            </td>
            <td>{format::pick_progress(o.picked, o.lots)}</td>
            <td class="select" on:click=|ev| ev.stop_propagation()>
                <input type="checkbox" class="order-check" aria-label=t("ord-col-select") prop:checked=move || checked.with(|c| c.contains(&id))
                    on:change=move |ev| on_check.run((id, event_target_checked(&ev))) />
            </td>
        </tr>
    }
}

/// The header's `data-sort` (tests and styles find a column by it).
fn sort_name(s: OrdersSort) -> &'static str {
    match s {
        OrdersSort::Date => "date",
        OrdersSort::Marketplace => "marketplace",
        OrdersSort::ExternalId => "external_id",
        OrdersSort::Status => "status",
        OrdersSort::Buyer => "buyer",
        OrdersSort::Total => "total",
        OrdersSort::Fulfillment => "fulfillment",
    }
}
