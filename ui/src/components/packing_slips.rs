//! Packing slips and address labels for the orders selected, one page each when printed (the
//! system print dialog; the print stylesheet shows only this). Buyer names and addresses are text
//! nodes: markup in them prints as typed.

use brickdesk_ipc::OrderDetail;
use leptos::prelude::*;

use crate::components::fulfilment::hide_broken;
use crate::i18n::{t, tf, Value};
use crate::{format, ipc};

#[component]
pub fn PackingSlips(#[prop(into)] ids: Signal<Vec<i64>>, on_close: Callback<()>) -> impl IntoView {
    let orders = LocalResource::new(move || {
        let ids = ids.get();
        async move {
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                out.push(ipc::orders_show(id).await.map_err(|e| e.message)?);
            }
            Ok::<_, String>(out)
        }
    });
    let slips = Memo::new(move |_| orders.get().and_then(|r| r.ok()).unwrap_or_default());
    let error = Memo::new(move |_| orders.get().and_then(|r| r.err()));
    let print = move |_| {
        if let Err(e) = window().print() {
            web_sys::console::warn_1(&e);
        }
    };
    view! {
        <section class="detail slips" id="packing-slips">
            <header class="no-print">
                <h2>{move || tf("ord-slips-title", &[("count", Value::from(slips.with(Vec::len) as i64))])}</h2>
                <div class="toolbar">
                    <button class="primary small" id="slips-print" on:click=print>{t("ord-print")}</button>
                    <button class="secondary small" id="slips-close" data-close="" on:click=move |_| on_close.run(())>{t("ord-close")}</button>
                </div>
            </header>
            {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            <For each=move || slips.get() key=|o| o.summary.id let:o>
                <Slip o=o />
            </For>
        </section>
    }
}

#[component]
fn Slip(o: OrderDetail) -> impl IntoView {
    let s = &o.summary;
    let title = tf("ord-slip-title", &[("market", s.marketplace.display_name().into()), ("number", s.external_id.clone().into())]);
    let address = o.shipping.address.clone().unwrap_or_else(|| s.buyer_name.clone());
    let totals = tf(
        "ord-slip-totals",
        &[("pieces", Value::from(s.pieces)), ("lots", Value::from(s.lots)), ("total", format::money(&s.total, &s.currency).into())],
    );
    view! {
        <article class="slip" data-order-id=s.id.to_string()>
            <header>
                <h3>{title}</h3>
                <span class="muted">{format::short_time(Some(&s.date_ordered))}</span>
            </header>
            <div class="label">
                <pre class="address slip-address">{address}</pre>
                {o.shipping.method.clone().map(|m| view! { <p class="muted slip-method">{m}</p> })}
            </div>
            <table class="grid slip-lines">
                <thead>
                    <tr>
                        <th>{t("ord-col-bin")}</th>
                        <th></th>
                        <th>{t("ord-col-item")}</th>
                        <th>{t("ord-col-colour")}</th>
                        <th class="num">{t("ord-col-qty")}</th>
                    </tr>
                </thead>
                <tbody>
                    {o.items.iter().map(|i| {
                        let src = i.image_url.as_deref().and_then(format::thumb_src);
                        view! {
                            <tr>
                                <td class="mono">{i.location.clone()}</td>
                                <td class="thumb">{src.map(|s| view! { <img src=s alt="" on:error=hide_broken /> })}</td>
                                <td translate="no"><span class="mono">{i.item_no.clone()}</span>" "{i.item_name.clone()}</td>
                                <td translate="no">{format::colour(i.color_id, &i.color_name)}</td>
                                <td class="num">{format::grouped(i.quantity)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="slip-totals">{totals}</p>
        </article>
    }
}
