//! Orders out as CSV for bookkeeping: one row per order (marketplace, number, date, buyer, status,
//! items, subtotal, shipping and other charges, total, currency), or one row per line. Money is
//! written exactly as stored, in each order's own currency: nothing is summed across currencies.

use brickdesk_ipc::OrdersExportQuery;
use rusqlite::params;

use crate::base::money::MoneyE4;
use crate::error::{Error, Result};

fn day_bound(what: &str, v: &Option<String>, end: bool) -> Result<Option<String>> {
    let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    let day = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| Error::InvalidInput { what: what.into(), detail: format!("{v:?} is not a day (YYYY-MM-DD)") })?;
    let day = if end { day.succ_opt().unwrap_or(day) } else { day };
    Ok(Some(crate::base::clock::format_ts(day.and_time(chrono::NaiveTime::MIN).and_utc())))
}

pub fn write(c: &rusqlite::Connection, q: &OrdersExportQuery) -> Result<String> {
    let (from, to) = (day_bound("--from", &q.from, false)?, day_bound("--to", &q.to, true)?);
    let mut w = csv::Writer::from_writer(Vec::new());
    let bad = |e: csv::Error| Error::Inconsistent { what: "orders CSV".into(), detail: e.to_string() };
    let range = "(?1 IS NULL OR o.date_ordered >= ?1) AND (?2 IS NULL OR o.date_ordered < ?2)";
    if q.lines {
        w.write_record([
            "Marketplace",
            "Order",
            "Date",
            "Buyer",
            "Item No",
            "Item Type",
            "Color",
            "Condition",
            "Qty",
            "Unit Price",
            "Line Total",
            "Currency",
        ])
        .map_err(bad)?;
        let mut st = c.prepare(&format!(
            "SELECT o.marketplace, o.external_id, o.date_ordered, o.buyer_name, i.item_no, i.item_type, i.color_id, i.condition, i.quantity,
                    i.unit_price_e4, o.currency
             FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.quantity > 0 AND {range} ORDER BY o.date_ordered, o.id, i.id"
        ))?;
        let mut rows = st.query(params![from, to])?;
        while let Some(r) = rows.next()? {
            let (qty, price): (i64, i64) = (r.get(8)?, r.get(9)?);
            let total = MoneyE4(price.saturating_mul(qty));
            let rec: [String; 12] = [
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get::<_, i64>(6)?.to_string(),
                r.get(7)?,
                qty.to_string(),
                MoneyE4(price).to_string_with(4),
                total.to_string_with(4),
                r.get(10)?,
            ];
            w.write_record(&rec).map_err(bad)?;
        }
    } else {
        w.write_record(["Marketplace", "Order", "Date", "Buyer", "Status", "Items", "Subtotal", "Shipping and other", "Total", "Currency"])
            .map_err(bad)?;
        let mut st = c.prepare(&format!(
            "SELECT o.marketplace, o.external_id, o.date_ordered, o.buyer_name, o.fulfillment,
                    (SELECT COALESCE(sum(quantity), 0) FROM order_items WHERE order_id = o.id AND quantity > 0),
                    o.subtotal_e4, o.grand_total_e4, o.currency
             FROM orders o WHERE {range} ORDER BY o.date_ordered, o.id"
        ))?;
        let mut rows = st.query(params![from, to])?;
        while let Some(r) = rows.next()? {
            let (sub, total): (i64, i64) = (r.get(6)?, r.get(7)?);
            let rec: [String; 10] = [
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get::<_, i64>(5)?.to_string(),
                MoneyE4(sub).to_string_with(2),
                MoneyE4(total - sub).to_string_with(2),
                MoneyE4(total).to_string_with(2),
                r.get(8)?,
            ];
            w.write_record(&rec).map_err(bad)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| Error::Inconsistent { what: "orders CSV".into(), detail: e.to_string() })?;
    String::from_utf8(bytes).map_err(|e| Error::Inconsistent { what: "orders CSV".into(), detail: e.to_string() })
}
