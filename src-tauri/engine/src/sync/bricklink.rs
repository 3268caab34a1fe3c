//! BrickLink's side of inventory sync: [`push_round`] claims, completes, fails and waits; this
//! file decides ([`plan`]) and sends one lot's change. BrickLink takes signed quantity deltas
//! (`"quantity": "-3"`), so a sale BrickLink made on its own composes with the push; a create
//! carries the lot's tag in `remarks`, so one whose answer was lost is found again before a
//! second create.

use brickdesk_ipc::{Provider, SyncRunReport};
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::bricklink::api::{Call, Client};
use crate::marketplaces::bricklink::convert::{self as blc, remarks, tag};
use crate::stock::outbox::pushed_fields;
use crate::sync::round::{forget_creating, forget_remote_quantity, learned, mark_creating, push_round, LotNow, Outcome, Pusher, Remote};

fn fields(l: &LotNow) -> Value {
    pushed_fields(l.price_e4, &l.location, &l.description, &l.condition)
}

/// What one push does, decided from the lot and the remote copy.
#[derive(Debug)]
enum Plan {
    /// Already equal: no call.
    Nothing,
    /// A create was sent and its outcome is unknown: find it first.
    LookUp,
    /// The remote quantity is unknown (linked before BrickDesk counted it): read it first.
    Learn(String),
    Create(Value),
    Update {
        id: String,
        delta: i64,
        body: Value,
    },
    Delete(String),
}

fn plan(lot: i64, l: &LotNow, r: &Remote) -> Plan {
    match (&r.remote_id, l.deleted) {
        (Some(id), true) => Plan::Delete(id.clone()),
        (None, true) => Plan::Nothing,
        (None, false) if r.creating => Plan::LookUp,
        // Nothing for sale and nothing listed: nothing to create.
        (None, false) if l.available == 0 => Plan::Nothing,
        (None, false) => {
            let mut body = json!({
                "item": {"no": l.item_no, "type": l.item_type},
                "color_id": l.color_id,
                "quantity": l.available,
                "new_or_used": l.condition,
            });
            if let (Some(b), Value::Object(f)) = (body.as_object_mut(), fields(l)) {
                b.extend(f.into_iter().filter(|(k, _)| k != "condition"));
            }
            // The tag finds the lot again if the answer to this create is lost.
            body["remarks"] = json!(remarks(&l.location, lot));
            Plan::Create(body)
        }
        (Some(id), false) => {
            let Some(held) = r.quantity else { return Plan::Learn(id.clone()) };
            let now = fields(l);
            // BrickLink cannot change a lot's condition: delete it, and the next push creates it.
            if r.pushed.as_ref().and_then(|p| p.get("condition")).is_some_and(|c| *c != now["condition"]) {
                return Plan::Delete(id.clone());
            }
            let delta = l.available - held;
            if delta == 0 && r.pushed.as_ref() == Some(&now) {
                return Plan::Nothing;
            }
            let mut body = json!({
                "unit_price": now["unit_price"],
                "remarks": now["remarks"],
                // Required on every PUT since 2024-02 (bricklink.md §6.3).
                "description": now["description"],
            });
            if delta != 0 {
                body["quantity"] = json!(format!("{delta:+}"));
            }
            Plan::Update { id: id.clone(), delta, body }
        }
    }
}

/// One BrickLink round: claims due rows and pushes each (all due rows when `limit` is None).
/// Stops at a spent budget or a rate limit (the row waits, using no attempt).
pub async fn push_bricklink(gw: &Gateway, client: &Client, limit: Option<usize>) -> Result<SyncRunReport> {
    push_round(gw, client, limit).await
}

impl Pusher for Client {
    fn marketplace(&self) -> Provider {
        Provider::Bricklink
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

    fn read_back(
        &self,
        gw: &Gateway,
        _lot: i64,
        remote_id: &str,
    ) -> impl std::future::Future<Output = std::result::Result<Option<(i64, Vec<String>)>, CallError>> + Send {
        async move { read_back(gw, self, remote_id).await.map(Some) }
    }
}

/// What BrickLink holds of its lot `id`, with the open orders that figure counts and BrickDesk has
/// not booked ([`learned`]).
async fn read_back(gw: &Gateway, client: &Client, id: &str) -> std::result::Result<(i64, Vec<String>), CallError> {
    let list =
        || async { Ok(blc::open_orders(gw.bricklink(client, &Call::OpenOrders).await?)?.into_iter().map(|o| o.external_id).collect()) };
    let read = || async {
        let data = gw.bricklink(client, &Call::InventoryLot(id.to_string())).await?;
        Ok(data.get("quantity").and_then(Value::as_i64).unwrap_or(0))
    };
    learned(gw, Provider::Bricklink, list, read).await
}

async fn push_one(gw: &Gateway, client: &Client, lot: i64, l: &LotNow, r: &Remote) -> std::result::Result<Outcome, CallError> {
    let done = |op, remote_id: Option<String>, quantity, pushed, finished| Outcome {
        op,
        remote_id,
        quantity,
        pushed,
        finished,
        gone: false,
        counted: None,
    };
    match plan(lot, l, r) {
        Plan::Nothing => Ok(done("none", r.remote_id.clone(), r.quantity.unwrap_or(0), None, true)),
        Plan::Learn(id) => {
            let (held, counted) = read_back(gw, client, &id).await?;
            Ok(Outcome { counted: Some(counted), ..done("read", Some(id), held, None, false) })
        }
        Plan::LookUp => {
            let data = gw.bricklink(client, &Call::InventoriesOf { item_type: l.item_type.clone(), color_id: l.color_id }).await?;
            let tag = tag(lot);
            let found = data.as_array().into_iter().flatten().find(|x| {
                x["item"]["no"].as_str() == Some(l.item_no.as_str())
                    && x["new_or_used"].as_str() == Some(l.condition.as_str())
                    && x["remarks"].as_str().is_some_and(|rm| rm.contains(&tag))
            });
            match found {
                Some(x) => {
                    let id = x["inventory_id"].as_i64().map(|i| i.to_string()).unwrap_or_default();
                    let held = x["quantity"].as_i64().unwrap_or(0);
                    tracing::info!(lot, remote = %id, "an earlier create did land on BrickLink; linked, not created again");
                    // Pushed as created: the location with the tag, which the next update tidies.
                    let mut pushed = fields(l);
                    pushed["remarks"] = json!(remarks(&l.location, lot));
                    Ok(done("found", Some(id), held, Some(pushed), false))
                }
                // It never landed: create now (the marker is cleared, the row stays due).
                None => {
                    forget_creating(gw, lot, Provider::Bricklink).await?;
                    Ok(done("none", None, 0, None, false))
                }
            }
        }
        Plan::Create(body) => {
            mark_creating(gw, lot, Provider::Bricklink).await?;
            let data = gw.bricklink(client, &Call::CreateLot(body)).await?;
            let id = data.get("inventory_id").and_then(|v| v.as_i64().map(|i| i.to_string()).or_else(|| v.as_str().map(str::to_string)));
            let id = id.ok_or_else(|| {
                CallError::Engine(Error::Inconsistent { what: "BrickLink's create answer".into(), detail: "no inventory_id".into() })
            })?;
            let mut pushed = fields(l);
            pushed["remarks"] = json!(remarks(&l.location, lot));
            Ok(done("create", Some(id), l.available, Some(pushed), true))
        }
        Plan::Update { id, delta, body } => {
            if delta != 0 {
                // Until BrickLink answers, what it holds is unknown: if the answer is lost (or
                // BrickDesk dies), the next push reads the lot before sending another delta.
                forget_remote_quantity(gw, lot, Provider::Bricklink).await?;
            }
            gw.bricklink(client, &Call::UpdateLot { id: id.clone(), body }).await?;
            let held = r.quantity.unwrap_or(0) + delta;
            Ok(done("update", Some(id), held, Some(fields(l)), true))
        }
        Plan::Delete(id) => {
            match gw.bricklink(client, &Call::DeleteLot(id.clone())).await {
                Ok(_) => {}
                // Already gone on BrickLink (deleted on the website): the goal is reached.
                Err(CallError::Market(e)) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
            Ok(Outcome { op: "delete", remote_id: Some(id), quantity: 0, pushed: None, finished: l.deleted, gone: true, counted: None })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::round::test_lot;

    fn lot(available: i64, deleted: bool) -> LotNow {
        test_lot(available, deleted)
    }

    #[test]
    fn plans_push_only_what_differs() {
        let l = lot(10, false);
        assert!(matches!(plan(7, &l, &Remote::default()), Plan::Create(ref b) if b["quantity"] == 10 && b["remarks"] == "A-01 [BD-7]"));
        assert!(matches!(plan(7, &lot(0, false), &Remote::default()), Plan::Nothing), "nothing for sale, nothing listed");
        let synced = Remote { remote_id: Some("99".into()), quantity: Some(10), pushed: Some(fields(&l)), creating: false, sent_at: None };
        assert!(matches!(plan(7, &l, &synced), Plan::Nothing));
        let sold = Remote { quantity: Some(13), ..synced.clone() };
        assert!(
            matches!(plan(7, &l, &sold), Plan::Update { delta: -3, ref body, .. } if body["quantity"] == "-3" && body["description"] == "")
        );
        assert!(matches!(plan(7, &lot(10, true), &synced), Plan::Delete(ref id) if id == "99"));
        assert!(matches!(plan(7, &l, &Remote { creating: true, ..Remote::default() }), Plan::LookUp));
        assert!(matches!(plan(7, &l, &Remote { quantity: None, ..synced.clone() }), Plan::Learn(_)));
        let mut used = lot(10, false);
        used.condition = "U".into();
        assert!(matches!(plan(7, &used, &synced), Plan::Delete(_)), "condition changes recreate the lot");
    }
}
