//! Orders in the store: upsert a fetched order with its lines, match each line to a local lot,
//! and keep the lot's reservation in step with the order — all in the caller's one transaction.
//!
//! *Matching*, strongest first: a lot named by the marketplace (our own id in BrickOwl's
//! `external_id`, or a marketplace lot id we pushed), then item no + colour + condition, plus the
//! location when the line carries one. An unmatched line keeps location `UNKNOWN`.
//! *Reservation*: a line of an open order should hold its quantity on its lot; of a fulfilled or
//! cancelled order, nothing. The ledger records only the difference from what the line holds now
//! (the sum of its entries): `reserve` the first time (unique per line), `adjust` when the
//! quantity changes, `release` when cancelled or removed, `ship` when fulfilled (the pieces also
//! leave the shelf). Re-processing the same order therefore writes nothing.

use brickdesk_ipc::{PickStatus, Provider};

use crate::orders::picking::PickChange;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::base::clock::format_ts;
use crate::error::{Error, Result};
use crate::marketplaces::allegro::convert as allegro_convert;
use crate::marketplaces::types::{LotHint, OrderPhase, RemoteLine, RemoteOrder};
use crate::stock::matching::{best_lot, find_lot, lot_by_hints};
use crate::store;

pub const UNKNOWN_LOCATION: &str = "UNKNOWN";

/// What storing one order did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub order_id: i64,
    /// BrickDesk had never seen this order.
    pub is_new: bool,
    pub lines: usize,
    pub matched: usize,
    /// Ledger entries written now (0 when re-processing an unchanged order).
    pub stock_moves: usize,
}

pub fn apply(tx: &Transaction<'_>, m: Provider, account: &str, o: &RemoteOrder, now: DateTime<Utc>) -> Result<Applied> {
    let now_s = format_ts(now);
    let existing: Option<(i64, String)> = store::row(
        tx,
        "SELECT id, status FROM orders WHERE marketplace = ?1 AND account = ?2 AND external_id = ?3",
        params![m.as_str(), account, o.external_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?;
    // An Allegro purchase unpaid before or now: when what it holds of a lot changes (it arrived,
    // was paid or cancelled, a line changed), Allegro moved the offer's stock by itself and what
    // BrickDesk keeps off the offer changed; the offer's stock is set again from the lot
    // (`stock::outbox::offer_stock_unknown`).
    let unpaid_before = m == Provider::Allegro && existing.as_ref().is_some_and(|(_, s)| allegro_convert::is_unpaid(s));
    let unpaid_now = m == Provider::Allegro && allegro_convert::is_unpaid(&o.status);
    let order_id: i64 = store::row(
        tx,
        "INSERT INTO orders (marketplace, account, external_id, status, buyer_name, date_ordered, date_status_changed, currency,
                             subtotal_e4, grand_total_e4, total_count, unique_count, raw, first_seen_at, updated_at, phase, marker,
                             delivery_method)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16, ?17)
         ON CONFLICT (marketplace, account, external_id) DO UPDATE SET
             status = excluded.status, buyer_name = excluded.buyer_name, date_status_changed = excluded.date_status_changed,
             phase = excluded.phase, marker = excluded.marker, delivery_method = excluded.delivery_method,
             currency = excluded.currency, subtotal_e4 = excluded.subtotal_e4, grand_total_e4 = excluded.grand_total_e4,
             total_count = excluded.total_count, unique_count = excluded.unique_count, raw = excluded.raw, updated_at = excluded.updated_at
         RETURNING id",
        params![
            m.as_str(),
            account,
            o.external_id,
            o.status,
            o.buyer_name,
            format_ts(o.date_ordered),
            o.date_status_changed.map(format_ts),
            o.currency,
            o.subtotal.0,
            o.grand_total.0,
            o.total_count,
            o.unique_count,
            o.raw,
            now_s,
            phase_str(o.phase),
            marker(m, &o.status, &o.raw, o.date_status_changed.map(format_ts)),
            o.delivery_method
        ],
        |r| r.get(0),
    )?;
    crate::orders::fulfilment::on_fetch(tx, order_id, m, &o.status, &o.raw, now)?;
    let mut applied = Applied { order_id, is_new: existing.is_none(), lines: o.lines.len(), matched: 0, stock_moves: 0 };
    let moves = Moves { tx, order_id, m, phase: o.phase, now: &now_s, now_utc: now };
    for line in &o.lines {
        let before: Option<(Option<i64>, String, i64, String, i64, String)> = store::row(
            tx,
            "SELECT inventory_id, item_no, color_id, condition, quantity, pick_status
                 FROM order_items WHERE order_id = ?1 AND line_key = ?2",
            params![order_id, line.line_key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
        let item_id: i64 = store::row(
            tx,
            "INSERT INTO order_items (order_id, line_key, batch, item_no, item_type, item_name, color_id, color_name, condition,
                                      quantity, unit_price_e4, location, remote_lot_id, wanted_location)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (order_id, line_key) DO UPDATE SET
                 batch = excluded.batch, item_no = excluded.item_no, item_type = excluded.item_type, item_name = excluded.item_name,
                 color_id = excluded.color_id, color_name = excluded.color_name, condition = excluded.condition,
                 quantity = excluded.quantity, unit_price_e4 = excluded.unit_price_e4, remote_lot_id = excluded.remote_lot_id,
                 wanted_location = excluded.wanted_location
             RETURNING id",
            params![
                order_id,
                line.line_key,
                line.batch,
                line.item_no,
                line.item_type,
                line.item_name,
                line.color_id.unwrap_or(-1),
                line.color_name,
                line.condition.as_str(),
                line.quantity,
                line.unit_price.0,
                line.location.as_deref().unwrap_or(UNKNOWN_LOCATION),
                first_remote_lot(line),
                line.location
            ],
            |r| r.get(0),
        )?;
        let mut lot = before.as_ref().and_then(|b| b.0);
        if let Some((old_lot, no, color, cond, quantity, picked)) = &before {
            // The same line now names another item (positional keys can shift): give back what it
            // held, match it afresh, and it is to be picked again.
            let other_item = *no != line.item_no || *color != line.color_id.unwrap_or(-1) || cond != line.condition.as_str();
            // A changed quantity is picked again too: what is on the packing table no longer fits.
            if (other_item || *quantity != line.quantity) && picked != PickStatus::Unpicked.as_str() {
                let pick = PickChange { order_id, line: item_id, lot: *old_lot, from: picked, to: PickStatus::Unpicked };
                pick.record(tx, "the marketplace changed the line", &now_s)?;
            }
            if other_item {
                if let Some(old_lot) = old_lot {
                    applied.stock_moves += moves.to_target(item_id, *old_lot, 0, "release")?;
                }
                store::exec(tx, "UPDATE order_items SET inventory_id = NULL WHERE id = ?1", [item_id])?;
                lot = None;
            }
        }
        let lot = match lot {
            Some(lot) => Some(lot),
            None => find_lot(tx, line)?,
        };
        let held_before = before.as_ref().filter(|_| unpaid_before).and_then(|b| Some((b.0?, b.4)));
        let held_now = lot.filter(|_| unpaid_now).map(|lot| (lot, line.quantity));
        if held_before != held_now {
            let (was, is) = (held_before.map(|h| h.0), held_now.map(|h| h.0));
            for lot in was.into_iter().chain(is.filter(|l| Some(*l) != was)) {
                crate::stock::outbox::offer_stock_unknown(tx, lot, now)?;
            }
        }
        let Some(lot) = lot else {
            store::exec(tx, "UPDATE order_items SET location = ?2 WHERE id = ?1", params![item_id, UNKNOWN_LOCATION])?;
            continue;
        };
        applied.matched += 1;
        let location: String = store::row(tx, "SELECT location FROM inventory WHERE id = ?1", [lot], |r| r.get(0))?;
        store::exec(tx, "UPDATE order_items SET inventory_id = ?2, location = ?3 WHERE id = ?1", params![item_id, lot, location])?;
        let target = if o.phase == OrderPhase::Open { line.quantity } else { 0 };
        applied.stock_moves += moves.to_target(item_id, lot, target, "")?;
    }
    // Lines the marketplace no longer lists were removed from the order: release and hide them.
    let keys: Vec<&str> = o.lines.iter().map(|l| l.line_key.as_str()).collect();
    let keys_json = serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into());
    let removed: Vec<(i64, Option<i64>)> = {
        let mut st = tx.prepare(
            "SELECT id, inventory_id FROM order_items WHERE order_id = ?1 AND quantity > 0
               AND line_key NOT IN (SELECT value FROM json_each(?2))",
        )?;
        let rows = st.query_map(params![order_id, keys_json], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    for (item_id, lot) in removed {
        if let Some(lot) = lot {
            if unpaid_before {
                crate::stock::outbox::offer_stock_unknown(tx, lot, now)?;
            }
            applied.stock_moves += moves.to_target(item_id, lot, 0, "release")?;
        }
        store::exec(tx, "UPDATE order_items SET quantity = 0 WHERE id = ?1", [item_id])?;
    }
    // Booked: a read-back that counted this order's pieces has served its turn.
    if applied.is_new {
        crate::stock::outbox::forget_counted_sale(tx, m, &o.external_id)?;
    }
    Ok(applied)
}

/// Writes the ledger entries that bring order lines' reservations to their targets.
struct Moves<'a, 'c> {
    tx: &'a Transaction<'c>,
    order_id: i64,
    m: Provider,
    phase: OrderPhase,
    now: &'a str,
    now_utc: DateTime<Utc>,
}

impl Moves<'_, '_> {
    /// Moves line `item_id`'s reservation on `lot` to `target`; returns the entries written (0 or 1).
    /// `kind` overrides the entry kind (`release` for removed lines), else it follows the phase.
    fn to_target(&self, item_id: i64, lot: i64, target: i64, kind: &str) -> Result<usize> {
        let tx = self.tx;
        let (held, reserved_before): (i64, i64) = store::row(
            tx,
            "SELECT COALESCE(sum(reserved_delta), 0), count(*) FILTER (WHERE kind = 'reserve') FROM ledger WHERE order_item_id = ?1",
            [item_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let delta = target - held;
        if delta == 0 {
            return Ok(0);
        }
        let kind = match (kind, self.phase) {
            ("", OrderPhase::Open) if reserved_before == 0 => "reserve",
            ("", OrderPhase::Open) => "adjust",
            ("", OrderPhase::Fulfilled) => "ship",
            ("", OrderPhase::Cancelled) => "release",
            (k, _) => k,
        };
        // Shipping takes the pieces off the shelf too (never below zero: an oversold lot).
        let on_shelf: i64 = store::row(tx, "SELECT quantity FROM inventory WHERE id = ?1", [lot], |r| r.get(0))?;
        // An order that was open when its store was imported: the imported figure already left
        // its pieces out (`import_open_orders`). A lot the import made gets them back (they are
        // on the shelf, sold); the store's record is not lowered a second time.
        let (before_import, import_made): (bool, bool) = if kind == "reserve" && self.m != Provider::Allegro {
            store::row(
                tx,
                "SELECT EXISTS (SELECT 1 FROM import_open_orders io JOIN orders o ON o.external_id = io.order_id AND o.marketplace = io.marketplace
                                 WHERE io.marketplace = s.marketplace AND io.import_at = s.imported_at AND o.id = ?3),
                        s.import_created
                 FROM sync_state s WHERE s.inventory_id = ?1 AND s.marketplace = ?2 AND s.imported_at IS NOT NULL",
                params![lot, self.m.as_str(), self.order_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((false, false))
        } else {
            (false, false)
        };
        let quantity_delta = match kind {
            "ship" => delta.max(-on_shelf),
            _ if before_import && import_made => delta,
            _ => 0,
        };
        let detail = match quantity_delta {
            d if d > 0 => serde_json::json!({"order": self.order_id, "marketplace": self.m.as_str(), "open_at_import": true}),
            _ => serde_json::json!({"order": self.order_id, "marketplace": self.m.as_str()}),
        }
        .to_string();
        store::exec(
            tx,
            "INSERT INTO ledger (inventory_id, kind, quantity_delta, reserved_delta, order_item_id, detail, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![lot, kind, quantity_delta, delta, item_id, detail, self.now],
        )?;
        // The ledger is the truth: the lot moves by exactly the entry's deltas. A move that would
        // take the lot below zero means the stored numbers already disagree with the ledger;
        // refuse it (the transaction rolls back, `doctor` names the lot) rather than clamp.
        let (reserved_now, quantity_now): (i64, i64) =
            store::row(tx, "SELECT reserved, quantity FROM inventory WHERE id = ?1", [lot], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if reserved_now + delta < 0 || quantity_now + quantity_delta < 0 {
            return Err(Error::Inconsistent {
                what: format!("lot {lot}"),
                detail: format!(
                    "{kind} of {delta} for order line {item_id} would leave reserved {} and quantity {}; run `brickdesk-cli doctor`",
                    reserved_now + delta,
                    quantity_now + quantity_delta
                ),
            });
        }
        store::exec(
            tx,
            "UPDATE inventory SET reserved = reserved + ?2, quantity = quantity + ?3, updated_at = ?4 WHERE id = ?1",
            params![lot, delta, quantity_delta, self.now],
        )?;
        // The marketplace the order came from changed its own copy of the lot when the buyer
        // ordered (or changed the order); a cancellation or shipment it does not undo by itself.
        if matches!(kind, "reserve" | "adjust") && !before_import {
            crate::stock::outbox::record_marketplace_sale(tx, lot, self.m, self.order_id, delta)?;
        }
        crate::stock::outbox::mark_due(tx, lot, self.now_utc)?;
        Ok(1)
    }
}

/// Whether any open order line waits for stock (most of the time none does: an import of a
/// whole store then skips looking for each new lot's waiting lines).
pub fn any_line_waiting(c: &rusqlite::Connection) -> Result<bool> {
    Ok(store::row(c, "SELECT EXISTS (SELECT 1 FROM order_items WHERE inventory_id IS NULL AND quantity > 0)", [], |r| r.get(0))?)
}

/// Matches lines of open orders that found no lot when they arrived (the stock was entered or
/// imported later) to the lots `lots` just added, and reserves for them: same item, colour and
/// condition, and the line's own bin when it named one. Only lines of those parts are read (an
/// index holds the waiting lines), so adding a lot costs the same whatever the order history.
/// Returns how many lines matched.
pub fn rematch_open_lines(tx: &Transaction<'_>, lots: &[i64], now: DateTime<Utc>) -> Result<usize> {
    /// An order line waiting for stock.
    struct Waiting {
        item_id: i64,
        order_id: i64,
        market: String,
        item_no: String,
        color: i64,
        condition: String,
        quantity: i64,
        wanted_location: Option<String>,
    }
    let now_s = format_ts(now);
    let mut matched = 0;
    for &new_lot in lots {
        let waiting: Vec<Waiting> = {
            let mut st = tx.prepare_cached(
                "SELECT i.id, i.order_id, o.marketplace, i.item_no, i.color_id, i.condition, i.quantity, i.wanted_location
                 FROM inventory l
                 JOIN order_items i ON i.item_no = l.item_no AND i.color_id = l.color_id AND i.condition = l.condition
                                   AND i.inventory_id IS NULL AND i.quantity > 0
                 JOIN orders o ON o.id = i.order_id AND o.phase = 'open'
                 WHERE l.id = ?1 AND l.deleted_at IS NULL AND (i.wanted_location IS NULL OR i.wanted_location = l.location)
                 ORDER BY o.date_ordered, i.id",
            )?;
            let rows = st
                .query_map([new_lot], |r| {
                    Ok(Waiting {
                        item_id: r.get(0)?,
                        order_id: r.get(1)?,
                        market: r.get(2)?,
                        item_no: r.get(3)?,
                        color: r.get(4)?,
                        condition: r.get(5)?,
                        quantity: r.get(6)?,
                        wanted_location: r.get(7)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        for Waiting { item_id, order_id, market, item_no, color, condition, quantity, wanted_location } in waiting {
            let m = store::stored_provider(&market)?;
            let Some(lot) = best_lot(tx, &item_no, color, &condition, wanted_location.as_deref())? else { continue };
            let location: String = store::row(tx, "SELECT location FROM inventory WHERE id = ?1", [lot], |r| r.get(0))?;
            store::exec(tx, "UPDATE order_items SET inventory_id = ?2, location = ?3 WHERE id = ?1", params![item_id, lot, location])?;
            Moves { tx, order_id, m, phase: OrderPhase::Open, now: &now_s, now_utc: now }.to_target(item_id, lot, quantity, "")?;
            matched += 1;
        }
    }
    Ok(matched)
}

fn phase_str(p: OrderPhase) -> &'static str {
    match p {
        OrderPhase::Open => "open",
        OrderPhase::Fulfilled => "fulfilled",
        OrderPhase::Cancelled => "cancelled",
    }
}

/// What reconciliation compares with a marketplace's order list: `<date_status_changed>|<status>`
/// (BrickLink, the raw text as the marketplace sent it), `status-<status_id>` (BrickOwl) or
/// `revision-<revision>` (Allegro: the checkout form's revision changes whenever the form does).
fn marker(m: Provider, status: &str, raw: &str, changed: Option<String>) -> String {
    match m {
        Provider::Bricklink => format!("{}|{status}", raw_changed(raw).or(changed).unwrap_or_default()),
        Provider::Brickowl => format!("status-{}", raw_status_id(raw).unwrap_or_default()),
        Provider::Allegro => format!("revision-{}", raw_text(raw, "revision").unwrap_or_default()),
    }
}

/// Migration 0004's Rust step: fills `phase` and `marker` for orders stored before it.
pub(crate) fn backfill_phase_and_marker(tx: &Transaction<'_>) -> Result<()> {
    let rows: Vec<(i64, String, String, String, Option<String>)> = {
        let mut st = tx.prepare("SELECT id, marketplace, status, raw, date_status_changed FROM orders")?;
        let rows =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    for (id, market, status, raw, changed) in rows {
        let m = store::stored_provider(&market)?;
        tx.execute(
            "UPDATE orders SET phase = ?2, marker = ?3 WHERE id = ?1",
            params![id, phase_str(stored_phase(m, &status, &raw)), marker(m, &status, &raw, changed)],
        )?;
    }
    Ok(())
}

/// The phase of a stored order, from what the marketplace said last.
fn stored_phase(m: Provider, status: &str, raw: &str) -> OrderPhase {
    match m {
        Provider::Bricklink => crate::marketplaces::bricklink::convert::phase(status),
        Provider::Brickowl => crate::marketplaces::brickowl::convert::phase(&raw_status_id(raw).unwrap_or_default()),
        // Allegro orders came after migration 0004, the only caller; `apply` stores their phase.
        Provider::Allegro => OrderPhase::Open,
    }
}

fn first_remote_lot(line: &RemoteLine) -> Option<String> {
    line.lot_hints.iter().find_map(|h| match h {
        LotHint::BricklinkLot(id) | LotHint::BrickowlLot(id) | LotHint::AllegroOffer(id) => Some(id.clone()),
        LotHint::Local(_) => None,
    })
}

/// Fills in what a line sells from the lot its hints name, for marketplaces whose lines name an
/// offer rather than a part (Allegro): item, type, colour and condition become the lot's, so the
/// line reads, picks and re-matches like any other. A line no hint resolves is left as it is.
pub fn describe_from_lots(tx: &Transaction<'_>, lines: &mut [RemoteLine]) -> Result<()> {
    for line in lines {
        let Some(lot) = lot_by_hints(tx, &line.lot_hints)? else { continue };
        let (item_no, item_type, color, condition): (String, String, i64, String) =
            store::row(tx, "SELECT item_no, item_type, color_id, condition FROM inventory WHERE id = ?1", [lot], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        line.item_no = item_no;
        line.item_type = item_type;
        line.color_id = Some(color);
        if let Some(c) = crate::marketplaces::types::Condition::parse(&condition) {
            line.condition = c;
        }
    }
    Ok(())
}

/// The marketplace's own `date_status_changed` text (markers compare raw text, not our format).
fn raw_changed(raw: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(raw).ok()?.get("date_status_changed")?.as_str().map(str::to_string)
}

fn raw_text(raw: &str, field: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(raw).ok()?.get(field)?.as_str().map(str::to_string)
}

fn raw_status_id(raw: &str) -> Option<String> {
    let v = serde_json::from_str::<serde_json::Value>(raw).ok()?;
    let s = v.get("status_id")?;
    Some(s.as_str().map(str::to_string).unwrap_or_else(|| s.to_string()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::base::money::MoneyE4;
    use crate::marketplaces::types::Condition;
    use crate::orders::read::show;
    use crate::store::Store;

    /// An order's life against one lot of 10: reserve, change, ship; and a cancelled twin.
    #[tokio::test]
    async fn reservations_follow_the_order_through_its_life() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        s.write(|tx| {
            tx.execute(
                "INSERT INTO inventory (item_no, item_type, color_id, condition, location, quantity, unit_price_e4, created_at, updated_at)
                 VALUES ('3001', 'PART', 5, 'N', 'A-1', 10, 100, 't', 't')",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();
        let lot = |s: &Store| {
            let s = s.clone();
            async move {
                s.read(|c| {
                    Ok(c.query_row("SELECT quantity, reserved FROM inventory WHERE id = 1", [], |r| {
                        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                    })?)
                })
                .await
            }
        };
        let now: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        let step = |o: RemoteOrder| {
            let s = s.clone();
            async move { s.write(move |tx| apply(tx, Provider::Bricklink, "a", &o, now)).await.unwrap() }
        };
        let base = |id: &str, qty: i64, phase: OrderPhase, lines: Vec<RemoteLine>| {
            let mut o = order(lines);
            o.external_id = id.into();
            o.phase = phase;
            if qty == 0 {
                o.lines.clear();
            }
            o
        };
        let l = |k: &str, q: i64| line(k, "3001", 5, Condition::New, q, None);
        step(base("1", 1, OrderPhase::Open, vec![l("a", 3)])).await;
        assert_eq!(lot(&s).await.unwrap(), (10, 3));
        // Items changed: the buyer now wants 5.
        step(base("1", 1, OrderPhase::Open, vec![l("a", 5)])).await;
        assert_eq!(lot(&s).await.unwrap(), (10, 5));
        // A second order, then cancelled: its reservation comes back.
        step(base("2", 1, OrderPhase::Open, vec![l("a", 2)])).await;
        assert_eq!(lot(&s).await.unwrap(), (10, 7));
        step(base("2", 1, OrderPhase::Cancelled, vec![l("a", 2)])).await;
        assert_eq!(lot(&s).await.unwrap(), (10, 5));
        // The first ships: 5 leave the shelf and the reservation with them; shipping again is a no-op.
        let shipped = step(base("1", 1, OrderPhase::Fulfilled, vec![l("a", 5)])).await;
        assert_eq!((shipped.stock_moves, lot(&s).await.unwrap()), (1, (5, 0)));
        let again = step(base("1", 1, OrderPhase::Fulfilled, vec![l("a", 5)])).await;
        assert_eq!((again.stock_moves, lot(&s).await.unwrap()), (0, (5, 0)));
        // History: an order first seen already shipped reserves and deducts nothing.
        step(base("3", 1, OrderPhase::Fulfilled, vec![l("a", 4)])).await;
        assert_eq!(lot(&s).await.unwrap(), (5, 0));
        // A line removed from an open order is released and no longer shown.
        step(base("4", 1, OrderPhase::Open, vec![l("a", 1), l("b", 2)])).await;
        assert_eq!(lot(&s).await.unwrap(), (5, 3));
        step(base("4", 1, OrderPhase::Open, vec![l("a", 1)])).await;
        assert_eq!(lot(&s).await.unwrap(), (5, 1));
        let kinds: Vec<String> = s
            .read(|c| {
                let mut st = c.prepare("SELECT kind FROM ledger ORDER BY seq")?;
                let v = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
                Ok(v)
            })
            .await
            .unwrap();
        assert_eq!(kinds, ["reserve", "adjust", "reserve", "release", "ship", "reserve", "reserve", "release"]);
    }

    struct Lot(&'static str, i64, &'static str, &'static str, i64);

    pub(crate) fn line(key: &str, item: &str, color: i64, cond: Condition, qty: i64, loc: Option<&str>) -> RemoteLine {
        RemoteLine {
            line_key: key.into(),
            batch: 0,
            item_no: item.into(),
            item_type: "PART".into(),
            item_name: String::new(),
            color_id: Some(color),
            color_name: String::new(),
            condition: cond,
            quantity: qty,
            unit_price: MoneyE4(1200),
            location: loc.map(str::to_string),
            lot_hints: vec![],
        }
    }

    pub(crate) fn order(lines: Vec<RemoteLine>) -> RemoteOrder {
        RemoteOrder {
            external_id: "100".into(),
            status: "PAID".into(),
            phase: OrderPhase::Open,
            buyer_name: "b".into(),
            date_ordered: "2026-11-23T09:00:00Z".parse().unwrap(),
            date_status_changed: None,
            currency: "USD".into(),
            subtotal: MoneyE4(0),
            grand_total: MoneyE4(10_000),
            total_count: 0,
            unique_count: 0,
            raw: "{}".into(),
            delivery_method: None,
            lines,
        }
    }

    /// One data-driven check: stock, one order, and per line the expected (location, lot index).
    async fn check(stock: &[Lot], lines: Vec<RemoteLine>, expect: &[(&str, Option<usize>)], reserved: &[i64]) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let mut ids = vec![];
        for Lot(item, color, cond, loc, qty) in stock {
            let (item, cond, loc, color, qty) = (item.to_string(), cond.to_string(), loc.to_string(), *color, *qty);
            ids.push(
                s.write(move |tx| {
                    Ok(tx.query_row(
                        "INSERT INTO inventory (item_no, item_type, color_id, condition, location, quantity, unit_price_e4, created_at, updated_at)
                         VALUES (?1, 'PART', ?2, ?3, ?4, ?5, 100, 't', 't') RETURNING id",
                        params![item, color, cond, loc, qty],
                        |r| r.get::<_, i64>(0),
                    )?)
                })
                .await
                .unwrap(),
            );
        }
        let o = order(lines);
        let now: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        for round in 0..2 {
            let o2 = o.clone();
            let applied = s.write(move |tx| apply(tx, Provider::Bricklink, "a", &o2, now)).await.unwrap();
            assert_eq!(applied.is_new, round == 0);
            if round == 1 {
                assert_eq!(applied.stock_moves, 0, "re-processing never reserves twice");
            }
        }
        let detail = s.read(|c| show(c, 1)).await.unwrap();
        let got: Vec<(String, Option<i64>)> = detail.items.iter().map(|i| (i.location.clone(), i.inventory_id)).collect();
        let want: Vec<(String, Option<i64>)> = expect.iter().map(|(l, idx)| (l.to_string(), idx.map(|i| ids[i]))).collect();
        assert_eq!(got, want);
        let res: Vec<i64> = s
            .read(|c| {
                let mut st = c.prepare("SELECT reserved FROM inventory ORDER BY id")?;
                let v = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
                Ok(v)
            })
            .await
            .unwrap();
        assert_eq!(res, reserved);
    }

    #[tokio::test]
    async fn matching_cases() {
        use Condition::*;
        // Exact item + colour + condition; location taken from the lot.
        check(&[Lot("3001", 5, "N", "A-1", 10)], vec![line("a", "3001", 5, New, 3, None)], &[("A-1", Some(0))], &[3]).await;
        // Wrong condition or colour: unmatched, location UNKNOWN, nothing reserved.
        check(
            &[Lot("3001", 5, "N", "A-1", 10)],
            vec![line("a", "3001", 5, Used, 1, None), line("b", "3001", 11, New, 1, None)],
            &[("UNKNOWN", None), ("UNKNOWN", None)],
            &[0],
        )
        .await;
        // The line's location picks between two lots of the same part.
        check(
            &[Lot("3001", 5, "N", "A-1", 10), Lot("3001", 5, "N", "B-2", 10)],
            vec![line("a", "3001", 5, New, 4, Some("B-2"))],
            &[("B-2", Some(1))],
            &[0, 4],
        )
        .await;
        // A location no lot has: unmatched rather than reserved from the wrong bin.
        check(&[Lot("3001", 5, "N", "A-1", 10)], vec![line("a", "3001", 5, New, 1, Some("Z-9"))], &[("UNKNOWN", None)], &[0]).await;
        // Without a location, the lot with the most available stock.
        check(
            &[Lot("3001", 5, "N", "A-1", 2), Lot("3001", 5, "N", "B-2", 50)],
            vec![line("a", "3001", 5, New, 1, None)],
            &[("B-2", Some(1))],
            &[0, 1],
        )
        .await;
        // Item numbers are free-form strings.
        check(&[Lot("970c00", 11, "U", "M-1", 1)], vec![line("a", "970c00", 11, Used, 1, None)], &[("M-1", Some(0))], &[1]).await;
        // Two lines of the same lot reserve separately; overselling is recorded, not refused.
        check(
            &[Lot("3001", 5, "N", "A-1", 3)],
            vec![line("a", "3001", 5, New, 2, None), line("b", "3001", 5, New, 2, None)],
            &[("A-1", Some(0)), ("A-1", Some(0))],
            &[4],
        )
        .await;
    }
}
