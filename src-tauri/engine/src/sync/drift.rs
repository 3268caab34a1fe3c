//! The drift check: a remote edit made on the marketplace's website must never be silently
//! overwritten. One read of each whole store in sync (BrickLink `GET /inventories`, BrickOwl
//! `inventory/list`: one call each) is compared with what BrickDesk last left there
//! (`sync_state.remote_quantity` and `pushed`): linked lots whose quantity or price differ, lots
//! only on the marketplace, and linked lots that are gone. Nothing changes until the seller
//! chooses per lot and marketplace: keep the local values (push them) or take the marketplace's.
//!
//! Each marketplace's part of the report is kept on its own (`sync.drift.<m>` in settings), so
//! settling a lot on one marketplace leaves the other's report as it was.

use brickdesk_ipc::{DoctorProblem, Drift, DriftChoice, DriftReport, InventoryUpdateInput, Provider};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::base::clock::format_ts;
use crate::base::money::MoneyE4;
use crate::error::{Error, Result};
use crate::marketplaces::bricklink::convert::RemoteLot;

/// A daily pass is due when the last check is older than this.
pub const EVERY: chrono::Duration = chrono::Duration::hours(24);

/// A price as marketplace `m` keeps what BrickDesk pushed: BrickOwl rounds to three decimals
/// (brickowl.md §3), so a pushed 0.1235 is 0.124 there and no drift.
fn as_kept(m: Provider, price: MoneyE4) -> MoneyE4 {
    match m {
        Provider::Brickowl => MoneyE4((price.0.max(0) + 5) / 10 * 10),
        _ => price,
    }
}

/// Compares marketplace `m`'s lots (as just read, in BrickDesk's terms) with what BrickDesk
/// knows; reads only.
pub fn compare(c: &rusqlite::Connection, m: Provider, remote: &[RemoteLot], now: DateTime<Utc>) -> Result<DriftReport> {
    let mut drifts = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut linked = c.prepare_cached(
        "SELECT s.inventory_id, s.remote_quantity, s.pushed, max(i.quantity - i.reserved, 0),
                EXISTS (SELECT 1 FROM outbox o WHERE o.inventory_id = s.inventory_id AND o.marketplace = s.marketplace AND o.status != 'done')
         FROM sync_state s JOIN inventory i ON i.id = s.inventory_id
         WHERE s.marketplace = ?2 AND s.remote_id = ?1 AND i.deleted_at IS NULL",
    )?;
    for r in remote {
        seen.insert(r.remote_id.clone());
        let known: Option<(i64, Option<i64>, Option<String>, i64, bool)> = linked
            .query_row(params![&r.remote_id, m.as_str()], |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?, x.get(4)?)))
            .optional()?;
        let drift = |kind: &str, inventory_id, expected_quantity, expected_price| Drift {
            marketplace: m,
            kind: kind.into(),
            inventory_id,
            remote_id: Some(r.remote_id.clone()),
            item_no: r.lot.item_no.clone(),
            color_id: r.lot.color_id,
            expected_quantity,
            remote_quantity: Some(r.lot.quantity),
            expected_price,
            remote_price: Some(r.lot.unit_price.to_string_with(4)),
        };
        match known {
            None => drifts.push(drift("only_remote", None, None, None)),
            Some((lot, expected, pushed, available, due)) => {
                let expected_price = pushed
                    .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
                    .and_then(|p| p["unit_price"].as_str().map(str::to_string));
                let price_differs =
                    expected_price.as_deref().is_some_and(|p| MoneyE4::parse(p).ok().map(|p| as_kept(m, p)) != Some(r.lot.unit_price));
                let quantity_differs = expected.is_some_and(|q| q != r.lot.quantity);
                if price_differs || quantity_differs {
                    drifts.push(drift("differs", Some(lot), expected, expected_price));
                } else if !due && expected.is_some() && r.lot.quantity != available {
                    // The store holds what BrickDesk left there, and nothing is waiting to be
                    // pushed, yet that is not what is available: the stock invariant is broken.
                    drifts.push(Drift {
                        expected_price: None,
                        remote_price: None,
                        ..drift("store_quantity", Some(lot), Some(available), None)
                    });
                }
            }
        }
    }
    let mut st = c.prepare_cached(
        "SELECT s.inventory_id, s.remote_id, s.remote_quantity, i.item_no, i.color_id FROM sync_state s JOIN inventory i ON i.id = s.inventory_id
         WHERE s.marketplace = ?1 AND s.remote_id IS NOT NULL AND i.deleted_at IS NULL ORDER BY s.inventory_id",
    )?;
    let rows = st.query_map([m.as_str()], |x| {
        Ok((x.get::<_, i64>(0)?, x.get::<_, String>(1)?, x.get::<_, Option<i64>>(2)?, x.get::<_, String>(3)?, x.get::<_, i64>(4)?))
    })?;
    for row in rows {
        let (lot, remote_id, expected, item_no, color_id) = row?;
        if !seen.contains(&remote_id) {
            drifts.push(Drift {
                marketplace: m,
                kind: "missing_remote".into(),
                inventory_id: Some(lot),
                remote_id: Some(remote_id),
                item_no,
                color_id,
                expected_quantity: expected,
                remote_quantity: None,
                expected_price: None,
                remote_price: None,
            });
        }
    }
    Ok(DriftReport { checked_at: format_ts(now), drifts })
}

fn key(m: Provider) -> String {
    format!("sync.drift.{}", m.as_str())
}

/// Keeps marketplace `m`'s report for the window (and records when its daily pass last ran).
pub fn save(tx: &Transaction<'_>, m: Provider, report: &DriftReport) -> Result<()> {
    let json = serde_json::to_string(report).map_err(|e| Error::Inconsistent { what: "drift report".into(), detail: e.to_string() })?;
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key(m), json],
    )?;
    Ok(())
}

/// Keeps the report of a drift check of marketplace `m` that just read the whole store ([`save`]):
/// what it found off the available quantity replaces what earlier checks found (`store_off`).
pub fn record(tx: &Transaction<'_>, m: Provider, report: &DriftReport) -> Result<()> {
    save(tx, m, report)?;
    tx.execute("UPDATE sync_state SET store_off = NULL WHERE marketplace = ?1 AND store_off IS NOT NULL", [m.as_str()])?;
    let mut off = tx.prepare_cached("UPDATE sync_state SET store_off = ?3 WHERE inventory_id = ?1 AND marketplace = ?2")?;
    for d in report.drifts.iter().filter(|d| d.kind == "store_quantity") {
        off.execute(params![d.inventory_id, m.as_str(), d.remote_quantity])?;
    }
    Ok(())
}

/// Marketplace `m`'s last report, if its check ever ran.
pub fn last_of(c: &rusqlite::Connection, m: Provider) -> Result<Option<DriftReport>> {
    let json: Option<String> = c.query_row("SELECT value FROM settings WHERE key = ?1", [key(m)], |r| r.get(0)).optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// The last reports of every marketplace as one: their drifts, BrickLink's first, checked at the
/// time of the newest check. `None` when no check ever ran.
/// The lots the check after an uncertain push found off (`store_off`) are among them, as
/// `store_quantity` drifts, when the report does not list them already.
pub fn last(c: &rusqlite::Connection) -> Result<Option<DriftReport>> {
    let mut merged: Option<DriftReport> = None;
    for m in [Provider::Bricklink, Provider::Brickowl] {
        let Some(r) = last_of(c, m)? else { continue };
        merged = Some(match merged {
            None => r,
            Some(mut all) => {
                all.checked_at = all.checked_at.max(r.checked_at);
                all.drifts.extend(r.drifts);
                all
            }
        });
    }
    let off = found_off(c)?;
    if off.is_empty() {
        return Ok(merged);
    }
    let mut report = merged.unwrap_or(DriftReport { checked_at: String::new(), drifts: Vec::new() });
    for d in off {
        let listed = report.drifts.iter().any(|x| x.marketplace == d.marketplace && x.inventory_id == d.inventory_id && x.kind == d.kind);
        if !listed {
            report.drifts.push(d);
        }
    }
    Ok(Some(report))
}

/// The lots a check after an uncertain push found held off their available quantity on a store
/// (`sync_state.store_off`), as drifts: `expected_quantity` is what is available now.
pub fn found_off(c: &rusqlite::Connection) -> Result<Vec<Drift>> {
    let mut st = c.prepare_cached(
        "SELECT s.marketplace, s.inventory_id, s.remote_id, i.item_no, i.color_id, max(i.quantity - i.reserved, 0), s.store_off
         FROM sync_state s JOIN inventory i ON i.id = s.inventory_id
         WHERE s.store_off IS NOT NULL AND i.deleted_at IS NULL ORDER BY s.marketplace, s.inventory_id",
    )?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(m, lot, remote_id, item_no, color_id, available, held)| {
            Ok(Drift {
                marketplace: crate::store::stored_provider(&m)?,
                kind: "store_quantity".into(),
                inventory_id: Some(lot),
                remote_id,
                item_no,
                color_id,
                expected_quantity: Some(available),
                remote_quantity: Some(held),
                expected_price: None,
                remote_price: None,
            })
        })
        .collect()
}

/// What `doctor` says of a store found holding `held` of lot `lot` when `available` are.
pub fn store_off_problem(m: Provider, lot: i64, item_no: &str, remote_id: &str, held: i64, available: i64) -> DoctorProblem {
    DoctorProblem {
        kind: "store_quantity".into(),
        inventory_id: Some(lot),
        order_item_id: None,
        inbox_id: None,
        detail: format!("{} holds {held} of lot {lot} ({item_no}, its lot {remote_id}); {available} are available", m.display_name()),
    }
}

/// [`found_off`] and the last drift check's `store_quantity` drifts as `doctor` problems: what is
/// known, without reading the stores.
pub fn known_off(c: &rusqlite::Connection) -> Result<Vec<DoctorProblem>> {
    Ok(last(c)?
        .map(|r| r.drifts)
        .unwrap_or_default()
        .into_iter()
        .filter(|d| d.kind == "store_quantity")
        .map(|d| {
            let (lot, remote_id) = (d.inventory_id.unwrap_or_default(), d.remote_id.unwrap_or_default());
            store_off_problem(
                d.marketplace,
                lot,
                &d.item_no,
                &remote_id,
                d.remote_quantity.unwrap_or_default(),
                d.expected_quantity.unwrap_or_default(),
            )
        })
        .collect())
}

/// Whether the seller settles drift `kind` lot by lot (keep BrickDesk's, or take the store's).
pub fn settles(kind: &str) -> bool {
    kind == "differs" || kind == "store_quantity"
}

/// Whether the daily pass is due: a marketplace in sync was never checked, or not for a day.
pub fn due(c: &rusqlite::Connection, now: DateTime<Utc>) -> Result<bool> {
    for m in crate::stock::outbox::targets(c)? {
        if last_of(c, m)?.is_none_or(|r| r.checked_at < format_ts(now - EVERY)) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Applies the seller's choice for lot `lot` linked on marketplace `m`, given `m`'s copy as just
/// read (in BrickDesk's terms).
/// *Keep local*: BrickDesk now knows what the marketplace really holds, and the lot is due: the
/// next push brings the marketplace to the local values. *Take the marketplace's*: the local lot
/// takes its quantity (for sale, plus what open orders reserve) and price, through the ledger;
/// the marketplace already has them, so nothing is pushed back.
pub fn resolve(
    tx: &Transaction<'_>,
    m: Provider,
    lot: i64,
    remote: &RemoteLot,
    choice: DriftChoice,
    now: DateTime<Utc>,
    correlation: &str,
) -> Result<()> {
    let (reserved, location, description, condition): (i64, String, String, String) = tx
        .query_row("SELECT reserved, location, description, condition FROM inventory WHERE id = ?1 AND deleted_at IS NULL", [lot], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "inventory lot".into(), id: lot.to_string() })?;
    // What the marketplace holds now is what BrickDesk must account from, either way.
    let actual = crate::stock::outbox::pushed_fields(
        remote.lot.unit_price.0,
        &remote.lot.location,
        &remote.lot.description,
        remote.lot.condition.as_str(),
    );
    let known = crate::stock::outbox::pushed_fields(remote.lot.unit_price.0, &location, &description, &condition);
    tx.execute(
        "UPDATE sync_state SET remote_quantity = ?3, pushed = ?4, store_off = NULL, verify = 0 WHERE inventory_id = ?1 AND marketplace = ?2",
        params![lot, m.as_str(), remote.lot.quantity, if choice == DriftChoice::KeepLocal { actual } else { known }.to_string()],
    )?;
    // Settled: the saved report no longer lists it.
    if let Some(mut report) = last_of(tx, m)? {
        report.drifts.retain(|d| d.inventory_id != Some(lot) || !settles(&d.kind) || d.marketplace != m);
        save(tx, m, &report)?;
    }
    // The choice settles the lot on every store. Another store changed on its website too holds
    // what its report says, not what BrickDesk left there, and a delta must start from what it
    // holds: that is read again before its next push.
    for other in Provider::STORES.iter().copied().filter(|o| *o != m) {
        let Some(mut report) = last_of(tx, other)? else { continue };
        let listed = report.drifts.len();
        report.drifts.retain(|d| d.inventory_id != Some(lot) || !settles(&d.kind) || d.marketplace != other);
        if report.drifts.len() != listed {
            tx.execute(
                "UPDATE sync_state SET remote_quantity = NULL WHERE inventory_id = ?1 AND marketplace = ?2",
                params![lot, other.as_str()],
            )?;
            save(tx, other, &report)?;
        }
    }
    match choice {
        DriftChoice::KeepLocal => crate::stock::outbox::mark_due(tx, lot, now),
        DriftChoice::TakeMarketplace => {
            let input = InventoryUpdateInput {
                quantity: Some(remote.lot.quantity + reserved),
                unit_price: Some(brickdesk_ipc::DecimalInput::Text(remote.lot.unit_price.to_string_with(4))),
                ..InventoryUpdateInput::default()
            };
            crate::stock::lots::update(tx, lot, &input, now, correlation)?;
            Ok(())
        }
    }
}

/// Linked lots of store `m` whose quantity there is not the lot's available quantity, once
/// nothing is waiting to be pushed to `m` for them (`doctor --remote`): `store_quantity`, or
/// `store_missing` for a lot the store no longer lists.
pub fn against_available(c: &rusqlite::Connection, m: Provider, remote: &[RemoteLot]) -> Result<Vec<DoctorProblem>> {
    let held: std::collections::HashMap<&str, i64> = remote.iter().map(|r| (r.remote_id.as_str(), r.lot.quantity)).collect();
    let mut st = c.prepare_cached(
        "SELECT s.inventory_id, s.remote_id, i.item_no, max(i.quantity - i.reserved, 0) FROM sync_state s JOIN inventory i ON i.id = s.inventory_id
         WHERE s.marketplace = ?1 AND s.remote_id IS NOT NULL AND i.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.inventory_id = s.inventory_id AND o.marketplace = s.marketplace AND o.status != 'done')
         ORDER BY s.inventory_id",
    )?;
    let rows = st
        .query_map([m.as_str()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let name = m.display_name();
    let problem = |kind: &str, lot: i64, detail: String| DoctorProblem {
        kind: kind.into(),
        inventory_id: Some(lot),
        order_item_id: None,
        inbox_id: None,
        detail,
    };
    Ok(rows
        .into_iter()
        .filter_map(|(lot, remote_id, item_no, available)| match held.get(remote_id.as_str()) {
            None => Some(problem("store_missing", lot, format!("{name} no longer lists lot {lot} ({item_no}, its lot {remote_id})"))),
            Some(&q) if q != available => Some(problem(
                "store_quantity",
                lot,
                format!("{name} holds {q} of lot {lot} ({item_no}, its lot {remote_id}); {available} are available"),
            )),
            Some(_) => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brickowl_rounding_a_pushed_price_is_no_drift() {
        assert_eq!(as_kept(Provider::Brickowl, MoneyE4(1235)), MoneyE4(1240));
        assert_eq!(as_kept(Provider::Brickowl, MoneyE4(1900)), MoneyE4(1900));
        assert_eq!(as_kept(Provider::Bricklink, MoneyE4(1235)), MoneyE4(1235));
    }
}
