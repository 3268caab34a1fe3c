//! The pick list across orders: one line per lot and bin, sorted so that one walk through the
//! bins picks every order selected. A line is ticked off for all its orders at once; a line not
//! found is marked short (the orders show the shortage), and the seller may lower the lot by the
//! missing pieces, through the ledger, so every store follows.

use brickdesk_ipc::{OrdersPickInput, OrdersShortInput, PickLine, PickStatus, Provider};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::fulfilment::hide_broken;
use crate::components::part_label::{ColourLabel, ItemName};
use crate::i18n::{t, tf, Value};
use crate::state::Epochs;
use crate::{format, ipc};

#[component]
pub fn PickListView(
    /// The orders, with their marketplace (for their numbers).
    #[prop(into)]
    orders: Signal<Vec<(i64, Provider)>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let list = LocalResource::new(move || {
        epochs.orders.track();
        let ids: Vec<i64> = orders.with(|o| o.iter().map(|(id, _)| *id).collect());
        async move { ipc::orders_pick_list(&ids).await.map_err(|e| e.message) }
    });
    let lines = Memo::new(move |_| list.get().and_then(|r| r.ok()).map(|l| l.lines).unwrap_or_default());
    let error = Memo::new(move |_| list.get().and_then(|r| r.err()));
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let market_of = move |id: i64| orders.with_untracked(|o| o.iter().find(|(i, _)| *i == id).map(|(_, m)| *m));
    // Ticks every order line of a pick list line (one call per order).
    let tick = Callback::new(move |(line, to): (PickLine, PickStatus)| {
        busy.set(true);
        spawn_local(async move {
            let mut failed = None;
            for o in &line.orders {
                let input = OrdersPickInput { order_id: o.order_id, items: vec![o.item_id], status: to };
                if let Err(e) = ipc::orders_pick(&input).await {
                    failed = Some(e.message);
                }
            }
            notice.set(failed);
            busy.set(false);
            crate::state::bump(epochs.orders);
        });
    });
    let short = Callback::new(move |(line, lower): (PickLine, bool)| {
        busy.set(true);
        let input = OrdersShortInput { lines: line.orders.iter().map(|o| (o.order_id, o.item_id)).collect(), lower_lot: lower };
        spawn_local(async move {
            notice.set(ipc::orders_short(&input).await.err().map(|e| tf("ord-short-error", &[("error", e.message.into())])));
            busy.set(false);
            crate::state::bump(epochs.orders);
        });
    });
    let done = move || lines.with(|l| l.iter().filter(|l| format::pick_line_done(l)).count());
    view! {
        <aside class="detail pick-list" id="pick-list">
            <header>
                <h2>{move || tf("ord-pick-list-title", &[("count", Value::from(orders.with(Vec::len) as i64))])}</h2>
                <button class="secondary small" id="pick-list-close" data-close="" on:click=move |_| on_close.run(())>{t("ord-close")}</button>
            </header>
            <p class="muted" id="pick-list-progress">{move || {
                    tf("ord-pick-list-progress", &[("done", Value::from(done() as i64)), ("lines", Value::from(lines.with(Vec::len) as i64))])
                }}</p>
            {move || error.get().map(|e| view! { <p class="notice error" role="alert">{tf("ord-pick-list-error", &[("error", e.into())])}</p> })}
            {move || notice.get().map(|n| view! { <p class="notice error" role="alert" id="pick-list-notice">{n}</p> })}
            <table class="grid" id="pick-list-table">
                <thead>
                    <tr>
                        <th>{t("ord-col-bin")}</th>
                        <th></th>
                        <th>{t("ord-col-item")}</th>
                        <th>{t("ord-col-colour")}</th>
                        <th>{t("ord-col-condition")}</th>
                        <th class="num">{t("ord-col-qty")}</th>
                        <th>{t("ord-col-orders")}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || lines.get() key=|l| l.clone() let:l>
                        {
                            let picked = format::pick_line_done(&l);
                            let is_short = format::pick_line_short(&l);
                            let (a, b, c, d) = (l.clone(), l.clone(), l.clone(), l.clone());
                            let src = l.image_url.as_deref().and_then(format::thumb_src);
                            view! {
                                <tr class="pick-line" class:picked=picked class:short=is_short data-location=l.location.clone() data-item=l.item_no.clone()>
                                    <td class="mono">{l.location.clone()}</td>
                                    <td class="thumb">{src.map(|s| view! { <img src=s alt="" loading="lazy" on:error=hide_broken /> })}</td>
                                    <td class="item"><span class="mono">{l.item_no.clone()}</span>" "<ItemName name=l.item_name.clone() /></td>
                                    <td class="colour"><ColourLabel color_id=l.color_id name=l.color_name.clone() hex=l.color_hex.clone() /></td>
                                    <td>{l.condition.clone()}</td>
                                    <td class="num">{format::grouped(l.quantity)}</td>
                                    <td class="pick-orders">{format::pick_line_orders(&l, market_of)}</td>
                                    <td class="pick">
                                        <label>
                                            <input type="checkbox" class="pick-line-toggle" prop:checked=picked disabled=move || busy.get()
                                                on:change=move |ev| {
                                                    let to = if event_target_checked(&ev) { PickStatus::Picked } else { PickStatus::Unpicked };
                                                    tick.run((a.clone(), to))
                                                } />
                                            {if picked { t("ord-pick-line-picked") } else { t("ord-pick-line-pick") }}
                                        </label>
                                        {if is_short {
                                            view! {
                                                <button class="secondary small pick-found" disabled=move || busy.get()
                                                    on:click=move |_| tick.run((b.clone(), PickStatus::Unpicked))>{t("ord-found")}</button>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <button class="secondary small pick-short" disabled=move || busy.get()
                                                    title=t("ord-pick-short-title")
                                                    on:click=move |_| short.run((b.clone(), false))>{t("ord-pick-short")}</button>
                                            }.into_any()
                                        }}
                                        // Only as it becomes short: the lot is lowered once.
                                        {(!is_short && c.inventory_id.is_some()).then(|| view! {
                                            <button class="secondary small pick-lower" disabled=move || busy.get()
                                                title=t("ord-pick-lower-title")
                                                on:click=move |_| short.run((d.clone(), true))>{t("ord-pick-lower")}</button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </aside>
    }
}
