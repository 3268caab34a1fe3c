use brickdesk_ipc::OrderSummary;
use leptos::prelude::*;

use crate::format::{self, SortKey};

/// The orders table. Buyer names are text nodes: markup in them shows as typed, never renders.
#[component]
pub fn OrdersTable(
    #[prop(into)] orders: Signal<Vec<OrderSummary>>,
    #[prop(into)] selected: Signal<Option<i64>>,
    sort: RwSignal<(SortKey, bool)>,
    on_select: Callback<i64>,
) -> impl IntoView {
    let header = move |key: SortKey, label: &'static str| {
        view! {
            <th class="sortable" on:click=move |_| sort.update(|s| *s = format::toggle_sort(*s, key))>
                {label}
                {move || format::sort_arrow(sort.get(), key)}
            </th>
        }
    };
    view! {
        <table class="grid" id="orders-table">
            <thead>
                <tr>
                    {header(SortKey::Marketplace, "Market")}
                    {header(SortKey::ExternalId, "Order")}
                    {header(SortKey::Date, "Date")}
                    {header(SortKey::Buyer, "Buyer")}
                    {header(SortKey::Items, "Items")}
                    {header(SortKey::Total, "Total")}
                    {header(SortKey::Status, "Status")}
                    <th>"Picked"</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || orders.get() key=|o| o.clone() let:o>
                    {
                        let id = o.id;
                        view! {
                            <tr
                                class="order-row"
                                class:selected=move || selected.get() == Some(id)
                                class:new=o.is_new
                                data-external-id=o.external_id.clone()
                                data-marketplace=o.marketplace.as_str()
                                on:click=move |_| on_select.run(id)
                            >
                                <td>{o.marketplace.display_name()}</td>
                                <td class="mono">{o.external_id.clone()}{o.is_new.then(|| view! { <span class="badge new">"New"</span> })}</td>
                                <td>{format::short_time(Some(&o.date_ordered))}</td>
                                <td class="buyer">{o.buyer_name.clone()}</td>
                                <td class="num">{o.pieces}</td>
                                <td class="num">{format::money(&o.total, &o.currency)}</td>
                                <td>{o.status.clone()}</td>
                                <td>{format::pick_progress(o.picked, o.lots)}</td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}
