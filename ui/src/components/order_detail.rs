use brickdesk_ipc::{OrderDetail, OrderItem, OrdersPickInput, PickStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::catalog_drawer::OpenCatalog;
use crate::components::fulfilment::FulfilmentBox;
use crate::components::part_label::{ColourLabel, ItemName, Thumb};
use crate::i18n::{t, tf};
use crate::state::Epochs;
use crate::{format, ipc};

/// One order's lines: what to pick, from where, and which lot it reserved. The picker ticks lines
/// off (or marks them missing). The view stays mounted while `order` refetches, so a tick never
/// scrolls the panel back or drops a notice; rows update in place.
#[component]
pub fn OrderDetailView(order: Memo<Option<OrderDetail>>, on_close: Callback<()>) -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let order_id = Memo::new(move |_| order.with(|o| o.as_ref().map(|o| o.summary.id).unwrap_or_default()));
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let pick = Callback::new(move |(items, status): (Vec<i64>, PickStatus)| {
        busy.set(true);
        let input = OrdersPickInput { order_id: order_id.get_untracked(), items, status };
        spawn_local(async move {
            notice.set(ipc::orders_pick(&input).await.err().map(|e| tf("ord-pick-error", &[("error", e.message.into())])));
            busy.set(false);
            // Refetch whatever happened: a failed or no-op call sends no engine event, and the
            // boxes must show what is stored, not what was clicked.
            crate::state::bump(epochs.orders);
        });
    });
    let summary = move |f: fn(&OrderDetail) -> String| order.with(|o| o.as_ref().map(f).unwrap_or_default());
    let unpicked = move || {
        order.with(|o| o.iter().flat_map(|o| &o.items).filter(|i| i.pick_status == PickStatus::Unpicked).map(|i| i.id).collect::<Vec<_>>())
    };
    let items = move || order.with(|o| o.as_ref().map(|o| o.items.clone()).unwrap_or_default());
    view! {
        <aside class="detail" id="order-detail">
            <header>
                <h2>{move || summary(|o| format!("{} #{}", o.summary.marketplace.display_name(), o.summary.external_id))}</h2>
                <button class="secondary small" id="order-detail-close" data-close="" on:click=move |_| on_close.run(())>{t("ord-close")}</button>
            </header>
            <p class="muted">
                <span class="buyer">{move || summary(|o| o.summary.buyer_name.clone())}</span>
                {move || summary(|o| {
                    let s = &o.summary;
                    format!(" · {} · {} · {}", s.status, format::short_time(Some(&s.date_ordered)), format::money(&s.total, &s.currency))
                })}
            </p>
            {move || {
                order.with(|o| o.as_ref().and_then(|o| format::delivery_method(o.delivery_method.as_deref()))).map(|m| {
                    view! { <p class="muted" id="order-delivery">{t("ord-delivery")} " " <span class="delivery-method">{m}</span></p> }
                })
            }}
            <FulfilmentBox order=order />
            <div class="toolbar">
                <span id="pick-progress">{move || summary(|o| tf("ord-picked-progress", &[("progress", format::pick_progress(o.summary.picked, o.summary.lots).into())]))}</span>
                // Only lines not yet looked at: a line marked Missing stays missing.
                <button class="small" id="pick-all" disabled=move || busy.get() || unpicked().is_empty()
                    on:click=move |_| pick.run((unpicked(), PickStatus::Picked))>{t("ord-pick-all")}</button>
            </div>
            {move || notice.get().map(|n| view! { <p class="notice error" id="pick-notice" role="alert">{n}</p> })}
            <table class="grid" id="order-items">
                <thead>
                    <tr>
                        <th>{t("ord-col-location")}</th>
                        <th>{t("ord-col-item")}</th>
                        <th>{t("ord-col-colour")}</th>
                        <th>{t("ord-col-condition")}</th>
                        <th>{t("ord-col-qty")}</th>
                        <th>{t("ord-col-price")}</th>
                        <th>{t("ord-col-lot")}</th>
                        <th>{t("ord-col-pick")}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=items key=|i| i.clone() let:i>
                        <ItemRow i=i busy=busy pick=pick />
                    </For>
                </tbody>
            </table>
        </aside>
    }
}

/// One line. Rows are keyed by their whole content, so a changed line is drawn afresh.
#[component]
fn ItemRow(i: OrderItem, busy: RwSignal<bool>, pick: Callback<(Vec<i64>, PickStatus)>) -> impl IntoView {
    let unmatched = i.inventory_id.is_none();
    let line = i.id;
    let status = i.pick_status;
    let missing_next = if status == PickStatus::Missing { PickStatus::Unpicked } else { PickStatus::Missing };
    let query = format::line_query(&i.item_type, &i.item_no, i.color_id);
    view! {
        <tr class="item-row" class:unmatched=unmatched class:picked=status == PickStatus::Picked
            class:missing=status == PickStatus::Missing data-line-id=line.to_string() data-pick=status.as_str()>
            <td class="mono">{i.location.clone()}</td>
            <td class="item"><Thumb url=i.image_url.clone() /><OpenCatalog query=query />" "<ItemName name=i.item_name.clone() /></td>
            <td class="colour"><ColourLabel color_id=i.color_id name=i.color_name.clone() hex=i.color_hex.clone() /></td>
            <td>{i.condition.clone()}</td>
            <td class="num">{format::grouped(i.quantity)}</td>
            <td class="num">{crate::i18n::decimal(&i.unit_price)}</td>
            <td>{i.inventory_id.map(|l| format!("#{l}")).unwrap_or_else(|| t("ord-not-in-stock"))}</td>
            <td class="pick">
                <label>
                    // What the box now shows is what is asked for.
                    <input type="checkbox" class="pick-toggle" prop:checked=status == PickStatus::Picked
                        disabled=move || busy.get()
                        on:change=move |ev| {
                            let to = if event_target_checked(&ev) { PickStatus::Picked } else { PickStatus::Unpicked };
                            pick.run((vec![line], to))
                        } />
                    {format::pick_label(status)}
                </label>
                <button class="secondary small pick-missing" disabled=move || busy.get()
                    on:click=move |_| pick.run((vec![line], missing_next))>
                    {if status == PickStatus::Missing { t("ord-found") } else { t("ord-mark-missing") }}
                </button>
            </td>
        </tr>
    }
}
