//! `doctor`: checks the stored state against the ledger, which is the truth. Every lot's quantity
//! and reservation must equal the sum of its ledger entries; every matched order line must hold
//! what its order's phase says (its quantity while open, nothing once shipped or cancelled); no
//! queue row may sit in `processing` past its lease. It only reads and reports.

use brickdesk_ipc::{DoctorProblem, DoctorReport};
use chrono::{DateTime, Utc};

use crate::base::clock::format_ts;
use crate::error::Result;

pub fn check(c: &rusqlite::Connection, now: DateTime<Utc>) -> Result<DoctorReport> {
    let mut problems = Vec::new();
    let mut lots = c.prepare(
        "SELECT i.id, i.quantity, i.reserved, COALESCE(sum(l.quantity_delta), 0), COALESCE(sum(l.reserved_delta), 0)
         FROM inventory i LEFT JOIN ledger l ON l.inventory_id = i.id
         GROUP BY i.id
         HAVING i.quantity != COALESCE(sum(l.quantity_delta), 0) OR i.reserved != COALESCE(sum(l.reserved_delta), 0)
         ORDER BY i.id",
    )?;
    let rows = lots
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?)))?;
    for row in rows {
        let (lot, quantity, reserved, ledger_quantity, ledger_reserved) = row?;
        if quantity != ledger_quantity {
            problems.push(problem(
                "lot_quantity",
                Some(lot),
                None,
                None,
                format!("lot {lot} has quantity {quantity}, its ledger sums to {ledger_quantity}"),
            ));
        }
        if reserved != ledger_reserved {
            problems.push(problem(
                "lot_reserved",
                Some(lot),
                None,
                None,
                format!("lot {lot} has reserved {reserved}, its ledger sums to {ledger_reserved}"),
            ));
        }
    }

    let mut lines = c.prepare(
        "SELECT i.id, i.inventory_id, o.id, o.phase, i.quantity, COALESCE(sum(l.reserved_delta), 0)
         FROM order_items i JOIN orders o ON o.id = i.order_id LEFT JOIN ledger l ON l.order_item_id = i.id
         GROUP BY i.id
         HAVING COALESCE(sum(l.reserved_delta), 0) != CASE WHEN o.phase = 'open' AND i.inventory_id IS NOT NULL THEN i.quantity ELSE 0 END
         ORDER BY i.id",
    )?;
    let rows = lines.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (line, lot, order, phase, quantity, held) = row?;
        let want = if phase == "open" && lot.is_some() { quantity } else { 0 };
        problems.push(problem(
            "line_reservation",
            lot,
            Some(line),
            None,
            format!("line {line} of order {order} ({phase}) holds {held} in the ledger, it should hold {want}"),
        ));
    }

    let mut stuck = c.prepare(
        "SELECT id, dedupe_key, next_attempt_at FROM inbox WHERE status = 'processing' AND (next_attempt_at IS NULL OR next_attempt_at < ?1)",
    )?;
    let rows = stuck.query_map([format_ts(now)], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))?;
    for row in rows {
        let (id, key, lease) = row?;
        problems.push(problem(
            "stuck_processing",
            None,
            None,
            Some(id),
            format!("notification {key} is processing with a lease that ended {}; the next poll takes it back", lease.unwrap_or_default()),
        ));
    }
    // Every stock change since a marketplace copy was last pushed must be queued for it.
    let mut behind = c.prepare(
        "SELECT s.inventory_id, s.marketplace, COALESCE(s.synced_seq, 0), l.last FROM sync_state s
         JOIN (SELECT inventory_id, max(seq) AS last FROM ledger WHERE kind != 'pick' GROUP BY inventory_id) l ON l.inventory_id = s.inventory_id
         WHERE s.remote_id IS NOT NULL AND l.last > COALESCE(s.synced_seq, 0)
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.inventory_id = s.inventory_id AND o.marketplace = s.marketplace
                             AND o.status != 'done' AND o.due_seq >= l.last)
         ORDER BY s.inventory_id, s.marketplace",
    )?;
    let rows = behind.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)))?;
    for row in rows {
        let (lot, market, synced, last) = row?;
        problems.push(problem(
            "sync_behind",
            Some(lot),
            None,
            None,
            format!("lot {lot} changed (ledger {last}) since {market} last had it (ledger {synced}) and no push is queued; `sync retry {lot}` queues one"),
        ));
    }
    Ok(DoctorReport { ok: problems.is_empty(), problems })
}

fn problem(kind: &str, inventory_id: Option<i64>, order_item_id: Option<i64>, inbox_id: Option<i64>, detail: String) -> DoctorProblem {
    DoctorProblem { kind: kind.into(), inventory_id, order_item_id, inbox_id, detail }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marketplaces::types::{Condition, OrderPhase};
    use crate::orders::apply::tests::{line, order};
    use crate::orders::apply::{apply, rematch_open_lines};
    use crate::store::Store;
    use brickdesk_ipc::Provider;

    async fn lot_and_order(s: &Store, now: DateTime<Utc>) {
        s.write(move |tx| {
            let lot = crate::marketplaces::types::NewLot::validate(brickdesk_ipc::InventoryAddInput {
                item_no: "3001".into(),
                item_type: "PART".into(),
                color_id: 5,
                condition: "N".into(),
                quantity: 10,
                unit_price: brickdesk_ipc::DecimalInput::Text("0.10".into()),
                currency: None,
                location: "A-1".into(),
                description: String::new(),
            })?;
            crate::stock::lots::add(tx, &lot, now)?;
            apply(tx, Provider::Bricklink, "a", &order(vec![line("a", "3001", 5, Condition::New, 3, None)]), now)?;
            Ok(())
        })
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn a_consistent_store_is_ok_and_every_disagreement_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now: DateTime<Utc> = "2026-11-30T10:00:00Z".parse().unwrap();
        lot_and_order(&s, now).await;
        let report = s.read(move |c| check(c, now)).await.unwrap();
        assert_eq!(report, DoctorReport { ok: true, problems: vec![] });

        // Someone edits the numbers behind the ledger's back.
        s.write(|tx| Ok(tx.execute("UPDATE inventory SET reserved = 1, quantity = 12 WHERE id = 1", [])?)).await.unwrap();
        let report = s.read(move |c| check(c, now)).await.unwrap();
        let kinds: Vec<(&str, Option<i64>)> = report.problems.iter().map(|p| (p.kind.as_str(), p.inventory_id)).collect();
        assert!(!report.ok);
        assert_eq!(kinds, [("lot_quantity", Some(1)), ("lot_reserved", Some(1))]);

        // A release bigger than what the lot holds is refused, not clamped to zero: the ledger and
        // the lot stay as they were, and the seller is pointed at doctor.
        let mut cancelled = order(vec![line("a", "3001", 5, Condition::New, 3, None)]);
        cancelled.phase = OrderPhase::Cancelled;
        let err = s.write(move |tx| apply(tx, Provider::Bricklink, "a", &cancelled, now)).await.unwrap_err();
        assert!(err.to_string().contains("lot 1 is inconsistent") && err.to_string().contains("doctor"), "{err}");
        let (reserved, entries): (i64, i64) = s
            .read(|c| {
                Ok(c.query_row("SELECT reserved, (SELECT count(*) FROM ledger) FROM inventory WHERE id = 1", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?)
            })
            .await
            .unwrap();
        assert_eq!((reserved, entries), (1, 2), "nothing written");
    }

    #[tokio::test]
    async fn a_line_holding_the_wrong_amount_and_a_stuck_row_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now: DateTime<Utc> = "2026-11-30T10:00:00Z".parse().unwrap();
        lot_and_order(&s, now).await;
        s.write(move |tx| {
            // The line's reservation entry vanished (and the lot agrees with the ledger).
            tx.execute("DELETE FROM ledger WHERE kind = 'reserve'", [])?;
            tx.execute("UPDATE inventory SET reserved = 0", [])?;
            tx.execute(
                "INSERT INTO inbox (dedupe_key, marketplace, account, event_type, kind, resource_id, occurred_at, payload, status, attempts,
                                    next_attempt_at, received_at, updated_at)
                 VALUES ('a:Order:1:t', 'bricklink', 'a', 'Order', 'order', '1', 't', '{}', 'processing', 1, '2026-11-30T09:00:00.000Z', 't', 't')",
                [],
            )?;
            // Re-matching with nothing waiting changes nothing.
            rematch_open_lines(tx, &[1], now)?;
            Ok(())
        })
        .await
        .unwrap();
        let report = s.read(move |c| check(c, now)).await.unwrap();
        let kinds: Vec<&str> = report.problems.iter().map(|p| p.kind.as_str()).collect();
        assert_eq!(kinds, ["line_reservation", "stuck_processing"], "{report:?}");
        assert_eq!(report.problems[0].detail, "line 1 of order 1 (open) holds 0 in the ledger, it should hold 3");
    }

    #[tokio::test]
    async fn a_change_no_push_is_queued_for_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now: DateTime<Utc> = "2026-11-30T10:00:00Z".parse().unwrap();
        lot_and_order(&s, now).await;
        s.write(|tx| {
            // Linked at ledger entry 1; the reservation (entry 2) was never queued for it.
            tx.execute("INSERT INTO sync_state (inventory_id, marketplace, remote_id, status, synced_seq, updated_at) VALUES (1, 'bricklink', '77', 'synced', 1, 't')", [])?;
            Ok(())
        })
        .await
        .unwrap();
        let report = s.read(move |c| check(c, now)).await.unwrap();
        assert_eq!(report.problems.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>(), ["sync_behind"], "{report:?}");
        // Queuing the lot settles it.
        s.write(move |tx| {
            crate::stock::outbox::link_marketplace(tx, Provider::Bricklink, now)?;
            crate::stock::outbox::retry(tx, Some(1), now)
        })
        .await
        .unwrap();
        assert!(s.read(move |c| check(c, now)).await.unwrap().ok);
    }
}
