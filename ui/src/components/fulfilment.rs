//! An order's fulfilment in its panel (status, tracking, whether the marketplace heard of it,
//! where it goes) with the marks it can take next, and the ship form that asks for tracking
//! numbers (and Allegro's carrier) for one order or a selection.

use brickdesk_ipc::{Carrier, Fulfillment, FulfillmentMark, OrderDetail, OrderStatusInput, Provider};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{t, tf};
use crate::state::Epochs;
use crate::{format, ipc};

/// An order to ship, as the ship form needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToShip {
    pub id: i64,
    pub marketplace: Provider,
    pub external_id: String,
}

/// The order panel's fulfilment block.
#[component]
pub fn FulfilmentBox(order: Memo<Option<OrderDetail>>) -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let shipping = RwSignal::new(false);
    let f = move || order.with(|o| o.as_ref().map(|o| (o.summary.marketplace, o.fulfillment.clone(), o.summary.status.clone())));
    let mark = move |m: FulfillmentMark| {
        let Some(id) = order.with_untracked(|o| o.as_ref().map(|o| o.summary.id)) else { return };
        if m == FulfillmentMark::Shipped {
            shipping.set(true);
            return;
        }
        busy.set(true);
        let input = OrderStatusInput { order_id: id, status: m, tracking: None, tracking_url: None, carrier: None, carrier_name: None };
        spawn_local(async move {
            notice.set(ipc::orders_set_status(&input).await.err().map(|e| e.message));
            busy.set(false);
            crate::state::bump(epochs.orders);
        });
    };
    let retry = move |_| {
        busy.set(true);
        spawn_local(async move {
            notice.set(ipc::sync_retry(None).await.err().map(|e| e.message));
            busy.set(false);
            crate::state::bump(epochs.orders);
        });
    };
    let to_ship = Memo::new(move |_| {
        order.with(|o| {
            o.as_ref()
                .map(|o| vec![ToShip { id: o.summary.id, marketplace: o.summary.marketplace, external_id: o.summary.external_id.clone() }])
                .unwrap_or_default()
        })
    });
    view! {
        <section class="fulfilment" id="order-fulfilment">
            {move || f().map(|(market, ful, own)| {
                let remote = format::remote_label(ful.remote.as_deref(), market, ful.last_error.as_deref());
                let failed = ful.remote.as_deref() == Some("failed");
                view! {
                    <p>
                        <span class=format!("badge status-{}", ful.status.as_str()) id="order-fulfilment-status">
                            {format::orders::fulfilment_label(ful.status)}
                        </span>
                        " "
                        <span class="muted" title=t("ord-own-status-title")>
                            {tf("ord-market-says", &[("market", market.display_name().into()), ("status", own.into())])}
                        </span>
                    </p>
                    {ful.tracking.clone().map(|tracking| view! { <p>{t("ord-tracking")} " " <span class="mono" id="order-tracking">{tracking}</span></p> })}
                    {ful.carrier.clone().map(|c| view! { <p class="muted">{tf("ord-carrier", &[("carrier", c.into())])}</p> })}
                    {remote.map(|r| view! {
                        <p class=if failed { "notice error" } else { "muted" } id="order-remote">
                            {r}
                            {failed.then(|| view! { " " <button class="secondary small" id="order-retry" on:click=retry>{t("ord-retry")}</button> })}
                        </p>
                    })}
                    <div class="toolbar" id="order-marks">
                        {format::next_marks(market, ful.status).into_iter().map(|m| view! {
                            <button class="small" class:secondary=m != FulfillmentMark::Shipped disabled=move || busy.get()
                                data-mark=format!("{m:?}").to_lowercase() on:click=move |_| mark(m)>
                                {format::mark_label(m)}
                            </button>
                        }).collect_view()}
                    </div>
                }
            })}
            {move || notice.get().map(|n| view! { <p class="notice error" role="alert" id="order-mark-notice">{n}</p> })}
            <Show when=move || shipping.get()>
                <ShipForm orders=to_ship on_done=Callback::new(move |()| shipping.set(false)) />
            </Show>
            {move || order.with(|o| o.as_ref().map(|o| (o.shipping.method.clone(), o.shipping.address.clone()))).map(|(method, address)| view! {
                <div class="ship-to">
                    {method.map(|m| view! { <p class="muted" id="order-ship-method">{tf("ord-ships-by", &[("method", m.into())])}</p> })}
                    {address.map(|a| view! { <pre class="address" id="order-address">{a}</pre> })}
                </div>
            })}
        </section>
    }
}

/// Tracking numbers for the orders to ship (and, for Allegro, the carrier), then each is marked
/// shipped. A refused order says why and stays in the form; the others go.
#[component]
pub fn ShipForm(#[prop(into)] orders: Signal<Vec<ToShip>>, on_done: Callback<()>) -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let entries = Memo::new(move |_| {
        orders
            .get()
            .into_iter()
            .map(|o| (o, RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new())))
            .collect::<Vec<_>>()
    });
    let any_allegro = Memo::new(move |_| orders.with(|o| o.iter().any(|o| o.marketplace == Provider::Allegro)));
    let carriers = LocalResource::new(move || {
        let wanted = any_allegro.get();
        async move {
            if wanted {
                ipc::allegro_carriers().await.map_err(|e| e.message)
            } else {
                Ok(Vec::<Carrier>::new())
            }
        }
    });
    let carrier_list = Memo::new(move |_| carriers.get().and_then(|r| r.ok()).unwrap_or_default());
    let carriers_error = Memo::new(move |_| carriers.get().and_then(|r| r.err()));
    let busy = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<(i64, String)>::new());
    let submit = move |_| {
        busy.set(true);
        let inputs: Vec<(i64, OrderStatusInput)> = entries.with_untracked(|e| {
            e.iter()
                .map(|(o, tracking, carrier, name)| {
                    (
                        o.id,
                        format::ship_input(o.id, o.marketplace, &tracking.get_untracked(), &carrier.get_untracked(), &name.get_untracked()),
                    )
                })
                .collect()
        });
        spawn_local(async move {
            let mut failed = Vec::new();
            for (id, input) in inputs {
                if let Err(e) = ipc::orders_set_status(&input).await {
                    failed.push((id, e.message));
                }
            }
            let done = failed.is_empty();
            errors.set(failed);
            busy.set(false);
            crate::state::bump(epochs.orders);
            if done {
                on_done.run(());
            }
        });
    };
    view! {
        <form class="ship-form" id="ship-form" on:submit=|ev| ev.prevent_default()>
            <h3>{t("ord-ship-mark")}</h3>
            {move || carriers_error.get().map(|e| view! { <p class="notice error">{tf("ord-carriers-error", &[("error", e.into())])}</p> })}
            <table class="grid">
                <thead>
                    <tr><th>{t("ord-col-order")}</th><th>{t("ord-col-tracking")}</th><th>{t("ord-col-carrier")}</th></tr>
                </thead>
                <tbody>
                    <For each=move || entries.get() key=|e| e.0.id let:e>
                        {
                            let (o, tracking, carrier, name) = e;
                            let allegro = o.marketplace == Provider::Allegro;
                            let id = o.id;
                            let error = move || errors.with(|e| e.iter().find(|(i, _)| *i == id).map(|(_, m)| m.clone()));
                            let number = format!("{} #{}", o.marketplace.display_name(), format::order_number(o.marketplace, &o.external_id));
                            let tracking_label = tf("ord-ship-tracking-label", &[("order", number.clone().into())]);
                            let carrier_label = tf("ord-ship-carrier-label", &[("order", number.clone().into())]);
                            view! {
                                <tr class="ship-row" data-order-id=id.to_string()>
                                    <td>{number}</td>
                                    <td>
                                        <input class="ship-tracking" type="text" spellcheck="false" maxlength="64" aria-label=tracking_label bind:value=tracking />
                                        {move || error().map(|m| view! { <p class="notice error ship-error">{m}</p> })}
                                    </td>
                                    <td>
                                        {allegro.then(|| view! {
                                            <select class="ship-carrier" aria-label=carrier_label on:change=move |ev| carrier.set(event_target_value(&ev))>
                                                <option value="">{t("ord-carrier-choose")}</option>
                                                <For each=move || carrier_list.get() key=|c| c.id.clone() let:c>
                                                    <option value=c.id.clone()>{c.name.clone()}</option>
                                                </For>
                                            </select>
                                            <Show when=move || carrier.get() == "OTHER">
                                                <input class="ship-carrier-name" type="text" maxlength="30" placeholder=t("ord-carrier-name")
                                                    aria-label=t("ord-carrier-name") bind:value=name />
                                            </Show>
                                        })}
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <div class="toolbar">
                <button type="button" class="primary" id="ship-submit" disabled=move || busy.get() on:click=submit>
                    {move || if busy.get() { t("ord-ship-marking") } else { t("ord-ship-mark") }}
                </button>
                <button type="button" class="secondary" id="ship-cancel" on:click=move |_| on_done.run(())>{t("ord-cancel")}</button>
            </div>
        </form>
    }
}

/// A picture that does not load (offline, or an item BrickLink has none of) leaves its cell
/// empty instead of a broken frame.
pub fn hide_broken(ev: leptos::ev::ErrorEvent) {
    use leptos::wasm_bindgen::JsCast;
    if let Some(img) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
        let _hidden = img.style().set_property("visibility", "hidden");
    }
}

/// Whether an order of `status` can still be marked shipped.
pub fn shippable(status: Fulfillment) -> bool {
    matches!(status, Fulfillment::New | Fulfillment::Paid | Fulfillment::Packed)
}
