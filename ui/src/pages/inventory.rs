use leptos::prelude::*;

use crate::components::catalog_drawer::OpenCatalog;
use crate::components::empty_state::EmptyState;
use crate::{format, ipc, Epochs};

/// The seller's lots: quantity on the shelf, reserved by open orders, and what is left.
#[component]
pub fn InventoryPage() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let lots = LocalResource::new(move || {
        epochs.inventory.track();
        ipc::inventory_list()
    });
    view! {
        <section id="page-inventory">
            <h1>"Inventory"</h1>
            <Transition fallback=|| view! { <p class="muted">"Loading inventory…"</p> }>
                {move || lots.get().map(|r| match r {
                    Err(e) => view! { <p class="notice error" role="alert">"Cannot load inventory: " {e.message}</p> }.into_any(),
                    Ok(lots) if lots.is_empty() => view! {
                        <EmptyState title="No lots yet" hint="Add lots with brickdesk-cli inventory add, or import them with brickdesk-cli inventory import bricklink." />
                    }.into_any(),
                    Ok(lots) => view! {
                        <table class="grid" id="inventory-table">
                            <thead><tr>
                                <th>"Location"</th><th>"Item"</th><th>"Type"</th><th>"Colour"</th><th>"Cond."</th>
                                <th>"Qty"</th><th>"Reserved"</th><th>"Available"</th><th>"Price"</th>
                            </tr></thead>
                            <tbody>
                                {lots.into_iter().map(|l| { let short = l.reserved > l.quantity; view! {
                                    <tr class="lot-row">
                                        <td class="mono">{l.location.clone()}</td>
                                        <td><OpenCatalog query=format::line_query(&l.item_type, &l.item_no, l.color_id) /></td>
                                        <td>{l.item_type.clone()}</td>
                                        <td>{format::colour(l.color_id, "")}</td>
                                        <td>{l.condition.clone()}</td>
                                        <td class="num">{l.quantity}</td>
                                        <td class="num">{l.reserved}</td>
                                        <td class="num" class:short=short>{l.quantity - l.reserved}</td>
                                        <td class="num">{format::money(&l.unit_price, &l.currency)}</td>
                                    </tr>
                                }}).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
