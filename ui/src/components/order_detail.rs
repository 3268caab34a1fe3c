use brickdesk_ipc::OrderDetail;
use leptos::prelude::*;

use crate::format;

/// One order's lines: what to pick, from where, and which lot it reserved.
#[component]
pub fn OrderDetailView(order: OrderDetail, on_close: Callback<()>) -> impl IntoView {
    let s = order.summary.clone();
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
            <table class="grid" id="order-items">
                <thead>
                    <tr><th>"Location"</th><th>"Item"</th><th>"Colour"</th><th>"Cond."</th><th>"Qty"</th><th>"Price"</th><th>"Lot"</th><th>"Pick"</th></tr>
                </thead>
                <tbody>
                    {order.items.into_iter().map(|i| {
                        let unmatched = i.inventory_id.is_none();
                        view! {
                            <tr class="item-row" class:unmatched=unmatched>
                                <td class="mono">{i.location.clone()}</td>
                                <td><span class="mono">{i.item_no.clone()}</span>" "<span class="muted">{i.item_name.clone()}</span></td>
                                <td>{format::colour(i.color_id, &i.color_name)}</td>
                                <td>{i.condition.clone()}</td>
                                <td class="num">{i.quantity}</td>
                                <td class="num">{i.unit_price.clone()}</td>
                                <td>{i.inventory_id.map(|l| format!("#{l}")).unwrap_or_else(|| "not in stock".into())}</td>
                                <td>{i.pick_status.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </aside>
    }
}
