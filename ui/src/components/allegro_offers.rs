use std::collections::HashMap;

use brickdesk_ipc::AllegroOffer;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::credential_form::Notice;
use crate::i18n::{t, tf, Value};
use crate::state::Epochs;
use crate::{format, ipc};

/// Inventory → "Allegro offers": every offer BrickDesk knows from the offer journal, with its
/// price, stock and status, and the lot it sells. An offer whose signature (`external.id`) names no
/// lot is linked here by typing the lot's number; from then on the lot's available quantity is
/// pushed to the offer and its Allegro orders reserve that lot. Refetched on
/// `allegro-offers-changed` and on inventory changes (a lot's label or deletion).
#[component]
pub fn AllegroOffers() -> impl IntoView {
    let epochs = expect_context::<Epochs>();
    let offers = LocalResource::new(move || {
        epochs.offers.track();
        epochs.inventory.track();
        ipc::allegro_offers()
    });
    let notice = RwSignal::new(None::<Notice>);
    // What the seller is typing per offer lives here, not in the rows: the list is read again on
    // every inventory change (polls, pushes, other processes) and the rows are drawn anew.
    let drafts = RwSignal::new(HashMap::<String, String>::new());
    let unlinked = move || offers.get().and_then(|r| r.ok()).map(|v| v.iter().filter(|o| o.lot_id.is_none()).count()).unwrap_or(0);
    let total = move || offers.get().and_then(|r| r.ok()).map(|v| v.len()).unwrap_or(0);

    let link = Callback::new(move |(offer, typed, busy): (String, String, RwSignal<bool>)| {
        let Some(lot) = format::lot_number(&typed) else {
            let typed = format!("{:?}", typed.trim());
            notice.set(Some(Notice::Error(tf("set-offers-link-bad", &[("offer", offer.into()), ("typed", typed.into())]))));
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match ipc::allegro_link(&offer, lot).await {
                Ok(o) => {
                    drafts.update(|d| {
                        d.remove(&offer);
                    });
                    let args = [("offer", o.offer_id.into()), ("lot", lot.to_string().into())];
                    notice.set(Some(Notice::Ok(tf("set-offers-linked", &args))))
                }
                Err(e) => {
                    notice.set(Some(Notice::Error(tf("set-offers-link-error", &[("offer", offer.into()), ("error", e.message.into())]))))
                }
            }
            busy.try_set(false);
            crate::state::bump(epochs.offers);
        });
    });

    view! {
        <details class="card offers" id="allegro-offers">
            <summary>
                <strong>{t("set-offers-title")}</strong>
                " "
                <span class="muted" id="allegro-offers-count">
                    {move || match (total(), unlinked()) {
                        (0, _) => t("set-offers-none"),
                        (n, 0) => tf("set-offers-all-linked", &[("count", Value::from(n))]),
                        (n, u) => tf("set-offers-unlinked", &[("count", Value::from(n)), ("unlinked", Value::from(u))]),
                    }}
                </span>
            </summary>
            {move || match notice.get() {
                Some(Notice::Ok(m)) => view! { <p class="notice ok" id="allegro-offers-notice">{m}</p> }.into_any(),
                Some(Notice::Error(m)) => view! { <p class="notice error" role="alert" id="allegro-offers-notice">{m}</p> }.into_any(),
                None => ().into_any(),
            }}
            {move || offers.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{tf("set-offers-load-error", &[("error", e.message.into())])}</p> }.into_any(),
                Ok(list) if list.is_empty() => ().into_any(),
                Ok(list) => view! {
                    <table class="grid" id="allegro-offers-table">
                        <thead>
                            <tr>
                                <th>{t("set-offers-col-offer")}</th>
                                <th class="num">{t("set-offers-col-price")}</th>
                                <th class="num">{t("set-offers-col-stock")}</th>
                                <th>{t("set-offers-col-status")}</th>
                                <th>{t("set-offers-col-lot")}</th>
                                <th aria-label=t("set-offers-col-link")></th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|o| view! { <OfferRow offer=o on_link=link drafts=drafts /> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </details>
    }
}

#[component]
fn OfferRow(
    offer: AllegroOffer,
    on_link: Callback<(String, String, RwSignal<bool>)>,
    drafts: RwSignal<HashMap<String, String>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let id = offer.offer_id.clone();
    let typed = {
        let id = id.clone();
        move || drafts.with(|d| d.get(&id).cloned().unwrap_or_default())
    };
    let on_input = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            drafts.update(|d| {
                d.insert(id.clone(), text);
            });
        }
    };
    let submit = {
        let id = id.clone();
        move || on_link.run((id.clone(), drafts.with_untracked(|d| d.get(&id).cloned().unwrap_or_default()), busy))
    };
    let keys = {
        let submit = submit.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Enter" {
                submit()
            }
        }
    };
    let price = match (&offer.price, &offer.currency) {
        (Some(p), Some(c)) => format::money(p, c),
        (Some(p), None) => p.clone(),
        _ => "—".into(),
    };
    let linked = offer.lot_id.map(|lot| {
        let how = match offer.linked_by.as_deref() {
            Some("seller") => t("set-offers-by-you"),
            Some("signature") => t("set-offers-by-signature"),
            _ => String::new(),
        };
        (format!("#{lot} {}", offer.lot_label.clone().unwrap_or_default()), how)
    });
    view! {
        <tr class="offer-row" data-offer-id=id.clone()>
            <td>
                <span class="offer-name">{offer.name.clone()}</span>
                <br />
                <span class="muted mono">{offer.offer_id.clone()}</span>
                {offer.external_id.clone().map(|x| view! { <span class="muted">{format!(" · {}", tf("set-offers-signature", &[("signature", x.into())]))}</span> })}
            </td>
            <td class="num">{price}</td>
            <td class="num">{offer.stock_available.map(format::grouped).unwrap_or_else(|| "—".into())}</td>
            <td>{offer.status.clone()}</td>
            <td class="offer-lot">
                {match linked {
                    Some((label, how)) => view! {
                        <span class="mono">{label}</span>
                        " "
                        <span class="linked-by">{how}</span>
                    }.into_any(),
                    None => view! { <span class="chip not-listed">{t("set-offers-not-linked")}</span> }.into_any(),
                }}
            </td>
            <td class="link-to">
                <input type="text" inputmode="numeric" class="offer-lot-input" placeholder=t("set-offers-lot-placeholder")
                    aria-label=tf("set-offers-lot-label", &[("offer", id.clone().into())]) prop:value=typed on:input=on_input on:keydown=keys />
                <button type="button" class="secondary small offer-link" disabled=move || busy.get() on:click=move |_| submit()>
                    {if offer.lot_id.is_some() { t("set-offers-relink") } else { t("set-offers-link") }}
                </button>
            </td>
        </tr>
    }
}
