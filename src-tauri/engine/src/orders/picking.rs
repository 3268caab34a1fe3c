//! Picking: the seller ticks order lines off as they take the pieces from the shelf (or marks
//! them missing). A pick moves no stock, since the reservation holds the pieces until the order
//! ships, but every change is a `pick` ledger entry on the line's lot, whoever made it: the picker,
//! or the marketplace changing a line so that it has to be picked again.

use brickdesk_ipc::PickStatus;
use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};

use crate::base::clock::format_ts;
use crate::error::{Error, Result};

/// A pick status read back from the store (a CHECK constraint keeps it to the three).
pub(crate) fn stored_pick_status(s: &str) -> rusqlite::Result<PickStatus> {
    PickStatus::parse(s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, format!("unknown pick status {s:?}").into())
    })
}

/// Sets the pick status of lines of order `order_id` (`items` empty: every line). Each line whose
/// status changes gets a `pick` ledger entry on its lot. Returns how many lines changed.
pub fn set_pick(tx: &Transaction<'_>, order_id: i64, items: &[i64], status: PickStatus, now: DateTime<Utc>) -> Result<usize> {
    let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM orders WHERE id = ?1)", [order_id], |r| r.get(0))?;
    if !exists {
        return Err(Error::NotFound { what: "order".into(), id: order_id.to_string() });
    }
    let lines: Vec<(i64, Option<i64>, String)> = {
        let mut st = tx.prepare("SELECT id, inventory_id, pick_status FROM order_items WHERE order_id = ?1 AND quantity > 0")?;
        let rows = st.query_map([order_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    if let Some(stranger) = items.iter().find(|id| !lines.iter().any(|(line, _, _)| line == *id)) {
        return Err(Error::InvalidInput { what: "order line".into(), detail: format!("{stranger} is not a line of order {order_id}") });
    }
    let now = format_ts(now);
    let mut changed = 0;
    for (line, lot, before) in lines.iter().filter(|(line, _, _)| items.is_empty() || items.contains(line)) {
        if before != status.as_str() {
            PickChange { order_id, line: *line, lot: *lot, from: before, to: status }.record(tx, "picker", &now)?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// One line's pick status changing.
pub(crate) struct PickChange<'a> {
    pub(crate) order_id: i64,
    pub(crate) line: i64,
    pub(crate) lot: Option<i64>,
    pub(crate) from: &'a str,
    pub(crate) to: PickStatus,
}

impl PickChange<'_> {
    /// Stores the new status and, for a line with a lot, a `pick` ledger entry saying who changed
    /// it (no quantity moves: the reservation holds the pieces until the order ships).
    pub(crate) fn record(&self, tx: &Transaction<'_>, by: &str, now: &str) -> Result<()> {
        tx.execute("UPDATE order_items SET pick_status = ?2 WHERE id = ?1", params![self.line, self.to.as_str()])?;
        if let Some(lot) = self.lot {
            let detail = serde_json::json!({"order": self.order_id, "from": self.from, "to": self.to.as_str(), "by": by}).to_string();
            tx.execute(
                "INSERT INTO ledger (inventory_id, kind, order_item_id, detail, created_at) VALUES (?1, 'pick', ?2, ?3, ?4)",
                params![lot, self.line, detail, now],
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marketplaces::types::Condition;
    use crate::orders::apply::apply;
    use crate::orders::apply::tests::{line, order};
    use crate::orders::read::show;
    use crate::store::Store;
    use brickdesk_ipc::Provider;

    /// Picking marks lines, one or all, writes one `pick` entry per change on matched lines only,
    /// moves no stock, and refuses lines of other orders and unknown orders.
    #[tokio::test]
    async fn picking_marks_lines_and_writes_the_ledger_once() {
        use Condition::*;
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        let (order_id, lines) = s
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO inventory (item_no, item_type, color_id, condition, location, quantity, unit_price_e4, created_at, updated_at)
                     VALUES ('3001', 'PART', 5, 'N', 'A-1', 10, 100, 't', 't')",
                    [],
                )?;
                let o = order(vec![line("a", "3001", 5, New, 3, None), line("b", "9999", 1, Used, 1, None)]);
                apply(tx, Provider::Bricklink, "acct", &o, now)?;
                let id: i64 = tx.query_row("SELECT id FROM orders", [], |r| r.get(0))?;
                let mut st = tx.prepare("SELECT id FROM order_items ORDER BY line_key")?;
                let lines = st.query_map([], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((id, lines))
            })
            .await
            .unwrap();
        let pick = |items: Vec<i64>, status: PickStatus| {
            let s = s.clone();
            async move { s.write(move |tx| set_pick(tx, order_id, &items, status, now)).await }
        };
        let state = || {
            let s = s.clone();
            async move {
                s.read(move |c| {
                    let d = show(c, order_id)?;
                    let picks: i64 = c.query_row("SELECT count(*) FROM ledger WHERE kind = 'pick'", [], |r| r.get(0))?;
                    let lot: (i64, i64) = c.query_row("SELECT quantity, reserved FROM inventory", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    Ok((d.summary.picked, d.items.iter().map(|i| i.pick_status).collect::<Vec<_>>(), picks, lot))
                })
                .await
                .unwrap()
            }
        };
        use PickStatus::*;
        assert_eq!(pick(vec![lines[0]], Picked).await.unwrap(), 1);
        assert_eq!(state().await, (1, vec![Picked, Unpicked], 1, (10, 3)));
        // Again: nothing changes, nothing is written.
        assert_eq!(pick(vec![lines[0]], Picked).await.unwrap(), 0);
        // Every line: only the unmatched one changes, and it has no lot to write an entry for.
        assert_eq!(pick(vec![], Picked).await.unwrap(), 1);
        assert_eq!(state().await, (2, vec![Picked, Picked], 1, (10, 3)));
        assert_eq!(pick(vec![lines[0]], Missing).await.unwrap(), 1);
        assert_eq!(state().await, (1, vec![Missing, Picked], 2, (10, 3)));
        let stranger = lines[1] + 100;
        assert!(matches!(pick(vec![stranger], Picked).await, Err(Error::InvalidInput { .. })));
        let other = s.write(move |tx| set_pick(tx, order_id + 1, &[], Picked, now)).await;
        assert!(matches!(other, Err(Error::NotFound { .. })));
        assert_eq!(state().await, (1, vec![Missing, Picked], 2, (10, 3)));
        // The marketplace changes line a's quantity: it is to be picked again; line b keeps its mark.
        let changed = order(vec![line("a", "3001", 5, New, 4, None), line("b", "9999", 1, Used, 1, None)]);
        s.write(move |tx| apply(tx, Provider::Bricklink, "acct", &changed, now)).await.unwrap();
        assert_eq!(state().await, (1, vec![Unpicked, Picked], 3, (10, 4)));
        // Line b now names another item: unmatched as before, and to be picked again.
        let swapped = order(vec![line("a", "3001", 5, New, 4, None), line("b", "9998", 1, Used, 1, None)]);
        s.write(move |tx| apply(tx, Provider::Bricklink, "acct", &swapped, now)).await.unwrap();
        // (Line b has no lot, so no ledger entry.)
        assert_eq!(state().await, (0, vec![Unpicked, Unpicked], 3, (10, 4)));
    }
}

/// The pick list across orders `ids`: one line per lot and location (or per item, colour and
/// condition where no lot matched), with which orders take how many, sorted by location so that
/// one walk through the bins picks them all. An unknown order is refused by name.
pub fn pick_list(c: &rusqlite::Connection, ids: &[i64]) -> Result<brickdesk_ipc::PickList> {
    use brickdesk_ipc::{PickLine, PickLineOrder};
    let mut lines: Vec<PickLine> = Vec::new();
    let mut known = c.prepare_cached("SELECT external_id FROM orders WHERE id = ?1")?;
    let mut st = c.prepare_cached(
        "SELECT i.id, i.location, i.item_no, i.item_type, i.item_name, i.color_id, i.color_name, i.condition, i.quantity, i.inventory_id,
                i.pick_status,
                (SELECT json_extract(c.payload, '$.image_url') FROM catalog_items c WHERE c.item_type = i.item_type AND c.item_no = i.item_no),
                (SELECT hex FROM catalog_colors cc WHERE cc.color_id = i.color_id)
         FROM order_items i WHERE i.order_id = ?1 AND i.quantity > 0 ORDER BY i.id",
    )?;
    let mut seen = std::collections::HashSet::new();
    for &order in ids {
        if !seen.insert(order) {
            continue;
        }
        let external: String = rusqlite::OptionalExtension::optional(known.query_row([order], |r| r.get(0)))?
            .ok_or_else(|| Error::NotFound { what: "order".into(), id: order.to_string() })?;
        let rows = st
            .query_map([order], |r| {
                Ok((
                    PickLine {
                        location: r.get(1)?,
                        item_no: r.get(2)?,
                        item_type: r.get(3)?,
                        item_name: r.get(4)?,
                        color_id: r.get(5)?,
                        color_name: r.get(6)?,
                        condition: r.get(7)?,
                        quantity: 0,
                        inventory_id: r.get(9)?,
                        image_url: r.get(11)?,
                        color_hex: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
                        orders: Vec::new(),
                    },
                    PickLineOrder {
                        order_id: order,
                        external_id: external.clone(),
                        item_id: r.get(0)?,
                        quantity: r.get(8)?,
                        pick_status: stored_pick_status(&r.get::<_, String>(10)?)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (line, taken) in rows {
            let same = |l: &PickLine| {
                l.location == line.location
                    && match (l.inventory_id, line.inventory_id) {
                        (Some(a), Some(b)) => a == b,
                        (None, None) => l.item_no == line.item_no && l.color_id == line.color_id && l.condition == line.condition,
                        _ => false,
                    }
            };
            let at = match lines.iter().position(same) {
                Some(i) => i,
                None => {
                    lines.push(line);
                    lines.len() - 1
                }
            };
            lines[at].quantity += taken.quantity;
            lines[at].orders.push(taken);
        }
    }
    // By bin as a person reads them (A-2 before A-10), lines not found in stock last.
    lines.sort_by(|a, b| {
        // `apply::UNKNOWN_LOCATION` (apply imports this file, not the other way round).
        let unknown = |l: &PickLine| l.location == "UNKNOWN";
        (unknown(a), natural(&a.location), &a.item_no, a.color_id).cmp(&(unknown(b), natural(&b.location), &b.item_no, b.color_id))
    });
    Ok(brickdesk_ipc::PickList { lines })
}

/// A sort key that orders the digits in a text by their value: `A-2` before `A-10`.
fn natural(s: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut n: u64 = c.to_digit(10).map(u64::from).unwrap_or(0);
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(u64::from(d));
                chars.next();
            }
            out.push((std::mem::take(&mut text).to_lowercase(), n));
        } else {
            text.push(c);
        }
    }
    out.push((text.to_lowercase(), 0));
    out
}
