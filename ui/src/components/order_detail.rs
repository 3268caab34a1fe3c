use brickdesk_ipc::{OrderDetail, OrdersPickInput, PickStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::{format, ipc};

/// One order's lines: what to pick, from where, and which lot it reserved. The picker ticks lines
/// off (or marks them missing); the engine's orders-changed event refetches this view.
#[component]
pub fn OrderDetailView(order: OrderDetail, on_close: Callback<()>) -> impl IntoView {
    let s = order.summary.clone();
    let order_id = s.id;
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let pick = Callback::new(move |(items, status): (Vec<i64>, PickStatus)| {
        busy.set(true);
        spawn_local(async move {
            let input = OrdersPickInput { order_id, items, status };
            notice.set(ipc::orders_pick(&input).await.err().map(|e| format!("Cannot mark the lines: {}", e.message)));
            busy.set(false);
        });
    });
    let all_picked = s.picked == s.lots;
    view! {
        <aside class="detail" id="order-detail">
            <header>
                <h2>{format!("{} #{}", s.marketplace.display_name(), s.external_id)}</h2>
                <button class="secondary small" id="order-detail-close" on:click=move |_| on_close.run(())>"Close"</button>
            </header>
            <p class="muted">
                <span class="buyer">{s.buyer_name.clone()}</span>
                " · " {s.status.clone()} " · " {format::short_time(Some(&s.date_ordered))} " · "
                {format::money(&s.total, &s.currency)}
            </p>
            <div class="toolbar">
                <span id="pick-progress">{format!("{} picked", format::pick_progress(s.picked, s.lots))}</span>
                <button class="small" id="pick-all" disabled=move || all_picked || busy.get()
                    on:click=move |_| pick.run((Vec::new(), PickStatus::Picked))>"Mark all picked"</button>
            </div>
            {move || notice.get().map(|n| view! { <p class="notice error" id="pick-notice" role="alert">{n}</p> })}
            <table class="grid" id="order-items">
                <thead>
                    <tr><th>"Location"</th><th>"Item"</th><th>"Colour"</th><th>"Cond."</th><th>"Qty"</th><th>"Price"</th><th>"Lot"</th><th>"Pick"</th></tr>
                </thead>
                <tbody>
                    {order.items.into_iter().map(|i| {
                        let unmatched = i.inventory_id.is_none();
                        let line = i.id;
                        let status = i.pick_status;
                        // Ticking toggles picked; "Missing" toggles missing. Either way back is unpicked.
                        let tick = if status == PickStatus::Picked { PickStatus::Unpicked } else { PickStatus::Picked };
                        let missing = if status == PickStatus::Missing { PickStatus::Unpicked } else { PickStatus::Missing };
                        view! {
                            <tr class="item-row" class:unmatched=unmatched class:picked=status == PickStatus::Picked
                                class:missing=status == PickStatus::Missing data-line-id=line.to_string() data-pick=status.as_str()>
                                <td class="mono">{i.location.clone()}</td>
                                <td><span class="mono">{i.item_no.clone()}</span>" "<span class="muted">{i.item_name.clone()}</span></td>
                                <td>{format::colour(i.color_id, &i.color_name)}</td>
                                <td>{i.condition.clone()}</td>
                                <td class="num">{i.quantity}</td>
                                <td class="num">{i.unit_price.clone()}</td>
                                <td>{i.inventory_id.map(|l| format!("#{l}")).unwrap_or_else(|| "not in stock".into())}</td>
                                <td class="pick">
                                    <label>
                                        <input type="checkbox" class="pick-toggle" prop:checked=status == PickStatus::Picked
                                            disabled=move || busy.get() on:change=move |_| pick.run((vec![line], tick)) />
                                        {format::pick_label(status)}
                                    </label>
                                    <button class="secondary small pick-missing" disabled=move || busy.get()
                                        on:click=move |_| pick.run((vec![line], missing))>
                                        {if status == PickStatus::Missing { "Found" } else { "Missing" }}
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </aside>
    }
}
