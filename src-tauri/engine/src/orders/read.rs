//! The read side of orders: the list and its summaries, one order's detail, unread markers, and
//! the stored markers the feeds compare a listed order with.

use brickdesk_ipc::{OrderDetail, OrderItem, OrderSummary, Provider};
use rusqlite::{params, OptionalExtension, Row, Transaction};

use crate::base::money::MoneyE4;
use crate::error::{Error, Result};
use crate::marketplaces::types::OrderPhase;
use crate::orders::picking::stored_pick_status;
use crate::store;

const SUMMARY_SQL: &str = "SELECT o.id, o.marketplace, o.external_id, o.status, o.buyer_name, o.date_ordered, o.grand_total_e4, o.currency,
        COALESCE(sum(i.quantity), 0), count(i.id), COALESCE(sum(i.pick_status = 'picked'), 0), o.is_new, o.fulfillment
     FROM orders o LEFT JOIN order_items i ON i.order_id = o.id AND i.quantity > 0";

fn summary(r: &Row<'_>) -> rusqlite::Result<OrderSummary> {
    let market: String = r.get(1)?;
    Ok(OrderSummary {
        id: r.get(0)?,
        marketplace: store::stored_provider(&market)?,
        external_id: r.get(2)?,
        status: r.get(3)?,
        buyer_name: r.get(4)?,
        date_ordered: r.get(5)?,
        total: MoneyE4(r.get(6)?).to_string_with(2),
        currency: r.get(7)?,
        pieces: r.get(8)?,
        lots: r.get(9)?,
        picked: r.get(10)?,
        is_new: r.get::<_, i64>(11)? == 1,
        fulfillment_status: crate::orders::fulfilment::stored(&r.get::<_, String>(12)?)?,
    })
}

/// Every order, newest first.
pub fn list(c: &rusqlite::Connection) -> Result<Vec<OrderSummary>> {
    let mut st = c.prepare(&format!("{SUMMARY_SQL} GROUP BY o.id ORDER BY o.date_ordered DESC, o.id DESC"))?;
    let rows = st.query_map([], summary)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The orders of `ids`, in that order (unknown ids left out): a page of the orders view.
pub fn summaries(c: &rusqlite::Connection, ids: &[i64]) -> Result<Vec<OrderSummary>> {
    let mut st = c.prepare_cached(&format!("{SUMMARY_SQL} WHERE o.id = ?1 GROUP BY o.id"))?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(o) = st.query_row([id], summary).optional()? {
            rows.push(o);
        }
    }
    Ok(rows)
}

pub fn show(c: &rusqlite::Connection, id: i64) -> Result<OrderDetail> {
    let summary = c
        .query_row(&format!("{SUMMARY_SQL} WHERE o.id = ?1 GROUP BY o.id"), [id], summary)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "order".into(), id: id.to_string() })?;
    let (changed, subtotal, delivery_method): (Option<String>, i64, Option<String>) =
        c.query_row("SELECT date_status_changed, subtotal_e4, delivery_method FROM orders WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let mut st = c.prepare(
        "SELECT i.id, i.item_no, i.item_type, i.item_name, i.color_id, i.color_name, i.condition, i.quantity, i.unit_price_e4, i.location,
                i.inventory_id, i.pick_status,
                (SELECT json_extract(c.payload, '$.image_url') FROM catalog_items c WHERE c.item_type = i.item_type AND c.item_no = i.item_no),
                (SELECT hex FROM catalog_colors cc WHERE cc.color_id = i.color_id)
         FROM order_items i WHERE i.order_id = ?1 AND i.quantity > 0 ORDER BY i.batch, i.location, i.item_no, i.id",
    )?;
    let items = st
        .query_map([id], |r| {
            Ok(OrderItem {
                id: r.get(0)?,
                item_no: r.get(1)?,
                item_type: r.get(2)?,
                item_name: r.get(3)?,
                color_id: r.get(4)?,
                color_name: r.get(5)?,
                condition: r.get(6)?,
                quantity: r.get(7)?,
                unit_price: MoneyE4(r.get(8)?).to_string_with(2),
                location: r.get(9)?,
                inventory_id: r.get(10)?,
                pick_status: stored_pick_status(&r.get::<_, String>(11)?)?,
                image_url: r.get(12)?,
                color_hex: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (fulfillment, shipping) = crate::orders::fulfilment::detail(c, id)?;
    Ok(OrderDetail {
        summary,
        date_status_changed: changed,
        subtotal: MoneyE4(subtotal).to_string_with(2),
        items,
        delivery_method,
        fulfillment,
        shipping,
    })
}

/// The seller opened the order: it is no longer new.
pub fn mark_seen(tx: &Transaction<'_>, id: i64) -> Result<bool> {
    Ok(store::exec(tx, "UPDATE orders SET is_new = 0 WHERE id = ?1 AND is_new = 1", [id])? == 1)
}

pub fn unread(c: &rusqlite::Connection) -> Result<i64> {
    Ok(c.query_row("SELECT count(*) FROM orders WHERE is_new = 1", [], |r| r.get(0))?)
}

/// Stored change marker and phase per external id, for reconciliation.
pub fn markers(c: &rusqlite::Connection, m: Provider, account: &str) -> Result<std::collections::HashMap<String, (String, OrderPhase)>> {
    let mut st = c.prepare_cached("SELECT external_id, marker, phase FROM orders WHERE marketplace = ?1 AND account = ?2")?;
    let rows = st
        .query_map(params![m.as_str(), account], |r| {
            let phase = match r.get_ref(2)?.as_str()? {
                "fulfilled" => OrderPhase::Fulfilled,
                "cancelled" => OrderPhase::Cancelled,
                _ => OrderPhase::Open,
            };
            Ok((r.get::<_, String>(0)?, (r.get::<_, String>(1)?, phase)))
        })?
        .collect::<rusqlite::Result<std::collections::HashMap<_, _>>>()?;
    Ok(rows)
}
