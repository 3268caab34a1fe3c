//! Allegro's side of inventory sync (allegro.md §4, end): [`crate::sync::round::push_round`] claims, completes,
//! fails and waits; this file decides and sends one lot's stock to its offer.
//!
//! - *Linked lot*: a lot an Allegro offer is sold from ([`allegro_offer_of`]). Only linked lots
//!   are ever due for Allegro: BrickDesk never creates or deletes offers, it only sets their stock.
//! - *Push*: `PATCH /sale/product-offers/{offerId}` with `{"stock":{"available": N}}`, N the lot's
//!   available quantity (quantity − reserved; 0 for a deleted lot, which ends the offer). The value
//!   is absolute, so a PATCH sent twice (the gateway resends a lost answer, a process killed
//!   mid-call pushes again) sets the same number twice and doubles nothing.
//! - *Remote copy*: `sync_state` (marketplace `allegro`) keeps the offer id as `remote_id` and the
//!   stock last pushed as `remote_quantity`. A push is sent only when the available quantity
//!   differs from it; an Allegro order took its pieces off the offer itself, so its reservation
//!   sends no PATCH when the offer already holds what is available (see below). The offer
//!   journal's handler reads the same number to recognise BrickDesk's own pushes as echoes.
//! - *Concurrent sales*: the PATCH is absolute, so a purchase not yet read from the journal is
//!   overwritten by a PATCH sent meanwhile (the offer shows its pieces for sale again until it is
//!   read). Once read, it corrects that: an unpaid one forgets the pushed stock
//!   (`offer_stock_unknown`), a paid one is booked by `record_marketplace_sale`, which for Allegro
//!   forgets it too; the next push reads the offer ([`Plan::Check`]) and sets it only if it is not
//!   the lot's available quantity less its unpaid pieces. So once every purchase is read and the
//!   queue is empty, the offer holds exactly that, whatever PATCH landed over which purchase.

use brickdesk_ipc::Provider;
use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::gateway::allegro_session::Session;
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::allegro::api::Call;
use crate::marketplaces::allegro::convert::UNPAID_STATUSES;
use crate::marketplaces::{Envelope, MarketError};
use crate::stock::outbox::OFFERS_OF_LOT;
use crate::sync::round::{LotNow, Outcome, Pusher, Remote};

const M: Provider = Provider::Allegro;

/// Live offers first: an offer that ended (0 ended it, or the seller did) and was relisted keeps
/// its signature on both, and only the live one sells. The order within a rank is kept.
fn liveness(status: Option<&str>) -> u8 {
    match status {
        Some("ACTIVE" | "ACTIVATING") => 0,
        Some("ENDED" | "ARCHIVED" | "INACTIVE") => 2,
        _ => 1,
    }
}

/// The Allegro offer lot `lot` is sold from, if any: the first candidate that the one offer → lot
/// rule (`allegro::offers::lot_of_offer`, which order lines follow too) gives back this lot, so a
/// lot never sets the stock of an offer whose orders reserve another lot. A deleted lot keeps the
/// offers no live lot sells, so its offer is set to 0.
pub fn allegro_offer_of(c: &Connection, lot: i64) -> Result<Option<String>> {
    let mut candidates: Vec<(String, Option<String>, Option<String>)> =
        c.prepare_cached(OFFERS_OF_LOT)?.query_map([lot], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    candidates.sort_by_key(|(_, _, status)| liveness(status.as_deref()));
    for (offer, external_id, _) in candidates {
        match crate::allegro::offers::lot_of_offer(c, &offer, external_id.as_deref())? {
            Some((sold_from, _)) if sold_from == lot => return Ok(Some(offer)),
            Some(_) => {}
            None if is_deleted(c, lot)? => return Ok(Some(offer)),
            None => {}
        }
    }
    Ok(None)
}

fn is_deleted(c: &Connection, lot: i64) -> Result<bool> {
    Ok(c.prepare_cached("SELECT deleted_at IS NOT NULL FROM inventory WHERE id = ?1")?
        .query_row([lot], |r| r.get(0))
        .optional()?
        .unwrap_or(true))
}

/// Pieces of lot `lot` bought on Allegro and not paid yet, on the account that lists `offer`:
/// Allegro took them off the offer they were bought on when they were bought; BrickDesk reserves
/// them only once paid, so until then the lot's offer — that one, or the one relisted after it
/// ended — is set to the lot's available quantity less these (or a push would put them on sale a
/// second time). Counted by the lot the lines were matched to, not by offer; another account's
/// purchases (a sandbox tried before) took nothing off this account's offers. From the orders'
/// status index (pinned: the marketplace's index would read every Allegro order), as unpaid
/// purchases are few.
pub fn unpaid_of_lot(c: &Connection, lot: i64, offer: &str) -> Result<i64> {
    Ok(c.prepare_cached(
        "SELECT COALESCE(sum(i.quantity), 0) FROM orders o JOIN order_items i ON i.order_id = o.id
         WHERE o.status IN (?3, ?4) AND +o.marketplace = 'allegro' AND i.inventory_id = ?1
           AND +o.account = (SELECT account FROM allegro_offers WHERE offer_id = ?2)",
    )?
    .query_row(rusqlite::params![lot, offer, UNPAID_STATUSES[0], UNPAID_STATUSES[1]], |r| r.get(0))?)
}

/// What one push does, decided from the lot, its offer and what BrickDesk last pushed there.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    /// The offer holds the stock already: no call.
    Nothing { offer: String, held: i64 },
    /// Not linked, and nothing known of an offer: nothing to do.
    NotLinked,
    /// The lot is no longer linked: forget what BrickDesk knew of the offer (no call).
    Forget,
    /// Set the offer's stock.
    Set { offer: String, available: i64 },
    /// What the offer holds is unknown (a sale was booked since, which an earlier PATCH may have
    /// set over): read it, and set it only if it differs.
    Check { offer: String, available: i64 },
}

/// `unpaid`: pieces of the lot in unpaid purchases ([`unpaid_of_lot`]), which Allegro has taken
/// off an offer already and BrickDesk has not reserved yet.
fn plan(l: &LotNow, r: &Remote, offer: Option<String>, unpaid: i64) -> Plan {
    let Some(offer) = offer else {
        return if r.remote_id.is_some() { Plan::Forget } else { Plan::NotLinked };
    };
    // A deleted lot sells nothing: 0 ends the offer (never deleted: it is the seller's).
    let available = if l.deleted { 0 } else { (l.available - unpaid).max(0) };
    // Another offer's count (the lot was linked anew) says nothing of this one.
    let same_offer = r.remote_id.as_deref() == Some(offer.as_str());
    match r.quantity.filter(|_| same_offer) {
        Some(held) if held == available => Plan::Nothing { offer, held },
        // Pushed there before, then forgotten: a sale was booked since.
        None if same_offer => Plan::Check { offer, available },
        _ => Plan::Set { offer, available },
    }
}

impl Pusher for Session {
    fn marketplace(&self) -> Provider {
        M
    }

    fn push_one(
        &self,
        gw: &Gateway,
        lot: i64,
        l: &LotNow,
        r: &Remote,
    ) -> impl std::future::Future<Output = std::result::Result<Outcome, CallError>> + Send {
        push_one(gw, self, lot, l, r)
    }
}

fn done(op: &'static str, offer: String, quantity: i64) -> Outcome {
    Outcome { op, remote_id: Some(offer), quantity, pushed: None, finished: true, gone: false, counted: None }
}

async fn push_one(gw: &Gateway, session: &Session, lot: i64, l: &LotNow, r: &Remote) -> std::result::Result<Outcome, CallError> {
    let (offer, unpaid) = gw
        .store
        .read(move |c| {
            let offer = allegro_offer_of(c, lot)?;
            let unpaid = match &offer {
                Some(offer) => unpaid_of_lot(c, lot, offer)?,
                None => 0,
            };
            Ok((offer, unpaid))
        })
        .await?;
    match plan(l, r, offer, unpaid) {
        Plan::NotLinked => {
            Ok(Outcome { op: "none", remote_id: None, quantity: 0, pushed: None, finished: true, gone: false, counted: None })
        }
        Plan::Nothing { offer, held } => Ok(done("none", offer, held)),
        Plan::Forget => {
            Ok(Outcome { op: "none", remote_id: r.remote_id.clone(), quantity: 0, pushed: None, finished: true, gone: true, counted: None })
        }
        Plan::Check { offer, available } => {
            let held = match gw.allegro(session, &Call::ProductOffer(offer.clone())).await {
                Ok(answer) => crate::marketplaces::allegro::convert::product_offer(answer)?.stock_available,
                Err(CallError::Market(e)) if e.is_not_found() => return Err(offer_gone(lot, &offer, e)),
                Err(e) => return Err(e),
            };
            if held == Some(available) {
                return Ok(done("read", offer, available));
            }
            set_stock(gw, session, lot, offer, available).await
        }
        Plan::Set { offer, available } => set_stock(gw, session, lot, offer, available).await,
    }
}

/// The offer's stock set to `available` (one PATCH, absolute).
async fn set_stock(gw: &Gateway, session: &Session, lot: i64, offer: String, available: i64) -> std::result::Result<Outcome, CallError> {
    match gw.allegro(session, &Call::PatchOfferStock { offer_id: offer.clone(), available }).await {
        Ok(answer) => {
            note_pushed(gw, &offer, available, answer).await?;
            Ok(done("update", offer, available))
        }
        Err(CallError::Market(e)) if e.is_not_found() => Err(offer_gone(lot, &offer, e)),
        Err(e) => Err(e),
    }
}

/// The offers list shows the stock just set (and the status Allegro answered with: 0 ends an
/// offer) without waiting for the offer journal to bring the change back. An answer that is not
/// an offer (Allegro may answer 202 with no body) still records the stock.
async fn note_pushed(gw: &Gateway, offer: &str, available: i64, answer: serde_json::Value) -> Result<()> {
    let status = crate::marketplaces::allegro::convert::product_offer(answer).ok().map(|o| o.status).filter(|s| s != "UNKNOWN");
    let (offer, now) = (offer.to_string(), crate::base::clock::format_ts(gw.clock.now()));
    gw.store
        .write(move |tx| {
            tx.execute(
                "UPDATE allegro_offers SET stock_available = ?2, status = COALESCE(?3, status), updated_at = ?4 WHERE offer_id = ?1",
                rusqlite::params![offer, available, status, now],
            )?;
            Ok(())
        })
        .await
}

/// A 404 from the PATCH: the offer was deleted on Allegro. Permanent (BrickDesk creates no
/// offers); said with what the seller can do.
fn offer_gone(lot: i64, offer: &str, e: MarketError) -> CallError {
    let said = match &e {
        MarketError::Rejected { envelope, .. } => format!("{} {}", envelope.message, envelope.description),
        other => other.to_string(),
    };
    CallError::Market(MarketError::Rejected {
        marketplace: M,
        endpoint: Call::PatchOfferStock { offer_id: offer.into(), available: 0 }.path(),
        envelope: Envelope {
            code: 404,
            message: "offer not found".into(),
            description: format!(
                "offer {offer} no longer exists on Allegro ({}); link lot {lot} to another offer, then retry",
                said.trim()
            ),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::sync::round::test_lot;
    use chrono::Utc;

    /// Unpaid purchases hold pieces of the lot they matched, whichever offer they were bought on
    /// (an offer relisted after it ended sells the same lot), and only on the account that bought
    /// them (a sandbox tried earlier holds nothing of the real account's offers).
    #[tokio::test]
    async fn unpaid_pieces_count_by_lot_on_the_offers_account() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let form = |id: &str, status: &str, quantity: i64| {
            let mut f: serde_json::Value = serde_json::from_str(include_str!("../../fixtures/allegro_checkout_form.json")).unwrap();
            f["id"] = id.into();
            f["status"] = status.into();
            f["lineItems"][0]["quantity"] = quantity.into();
            f["lineItems"][0]["offer"]["id"] = "ended".into();
            f["lineItems"][0]["offer"]["external"]["id"] = "bd-1".into();
            crate::marketplaces::allegro::convert::checkout_form(f).unwrap()
        };
        let counts = s
            .write(move |tx| {
                tx.execute_batch(
                    "INSERT INTO inventory (id, item_no, item_type, color_id, condition, location, quantity, unit_price_e4, created_at, updated_at)
                         VALUES (1, '3001', 'PART', 5, 'N', 'A-1', 40, 100, 't', 't');
                     INSERT INTO allegro_offers (offer_id, account, name, status, external_id, updated_at, signature_lot) VALUES
                         ('ended', 'shop', 'x', 'ENDED', 'bd-1', 't', 1), ('relisted', 'shop', 'x', 'ACTIVE', 'bd-1', 't', 1),
                         ('trial', 'sandbox', 'x', 'ACTIVE', 'bd-1', 't', 1);",
                )?;
                let now = Utc::now();
                crate::orders::apply(tx, M, "shop", &form("f1", "BOUGHT", 3), now)?;
                crate::orders::apply(tx, M, "shop", &form("f2", "READY_FOR_PROCESSING", 2), now)?;
                crate::orders::apply(tx, M, "sandbox", &form("f3", "FILLED_IN", 5), now)?;
                Ok((unpaid_of_lot(tx, 1, "relisted")?, unpaid_of_lot(tx, 1, "ended")?, unpaid_of_lot(tx, 1, "trial")?, unpaid_of_lot(tx, 2, "relisted")?))
            })
            .await
            .unwrap();
        assert_eq!(counts, (3, 3, 5, 0));
    }

    fn pushed(offer: &str, quantity: i64) -> Remote {
        Remote { remote_id: Some(offer.into()), quantity: Some(quantity), pushed: None, creating: false, sent_at: None }
    }

    #[test]
    fn plans_set_only_a_stock_that_differs() {
        let offer = || Some("555".to_string());
        assert_eq!(plan(&test_lot(10, false), &Remote::default(), offer(), 0), Plan::Set { offer: "555".into(), available: 10 });
        assert_eq!(plan(&test_lot(10, false), &pushed("555", 10), offer(), 0), Plan::Nothing { offer: "555".into(), held: 10 });
        assert_eq!(plan(&test_lot(8, false), &pushed("555", 10), offer(), 0), Plan::Set { offer: "555".into(), available: 8 });
        assert_eq!(
            plan(&test_lot(10, false), &pushed("444", 10), offer(), 0),
            Plan::Set { offer: "555".into(), available: 10 },
            "linked anew"
        );
        assert_eq!(
            plan(&test_lot(10, true), &pushed("555", 10), offer(), 0),
            Plan::Set { offer: "555".into(), available: 0 },
            "deleted: 0"
        );
        assert_eq!(plan(&test_lot(0, true), &pushed("555", 0), offer(), 0), Plan::Nothing { offer: "555".into(), held: 0 });
        assert_eq!(plan(&test_lot(10, false), &pushed("555", 10), None, 0), Plan::Forget, "unlinked: no call, forgotten");
        assert_eq!(plan(&test_lot(10, false), &Remote::default(), None, 0), Plan::NotLinked);
        // Unpaid purchases' pieces stay off the offer; never below 0; a deleted lot is 0 anyway.
        assert_eq!(plan(&test_lot(10, false), &pushed("555", 10), offer(), 3), Plan::Set { offer: "555".into(), available: 7 });
        assert_eq!(plan(&test_lot(2, false), &Remote::default(), offer(), 3), Plan::Set { offer: "555".into(), available: 0 });
        assert_eq!(plan(&test_lot(10, true), &pushed("555", 0), offer(), 3), Plan::Nothing { offer: "555".into(), held: 0 });
        // Forgotten since a sale was booked: read before setting.
        let forgotten = Remote { quantity: None, ..pushed("555", 10) };
        assert_eq!(plan(&test_lot(10, false), &forgotten, offer(), 0), Plan::Check { offer: "555".into(), available: 10 });
    }

    #[test]
    fn a_missing_offer_is_said_with_what_to_do() {
        let e = MarketError::Rejected {
            marketplace: M,
            endpoint: "/sale/product-offers/{offerId}".into(),
            envelope: Envelope { code: 404, message: "NOT_FOUND".into(), description: "Offer 555 not found".into() },
        };
        let said = offer_gone(7, "555", e);
        assert!(!said.is_retryable());
        let text = said.to_string();
        assert!(text.contains("offer 555 no longer exists on Allegro") && text.contains("link lot 7 to another offer"), "{text}");
        assert!(text.contains("Offer 555 not found"), "Allegro's own words are kept: {text}");
    }
}
