//! BrickLink wire → neutral types, once.

use serde_json::Value;

use super::wire::{NotificationWire, OrderItemWire, OrderSummaryWire, OrderWire};
use crate::clock::format_ts;
use crate::marketplaces::error::MarketError;
use crate::marketplaces::types::{
    parse_time, Condition, LotHint, NotificationKind, OrderPhase, RemoteLine, RemoteNotification, RemoteOrder, RemoteOrderRef,
};
use brickdesk_ipc::Provider;

const M: Provider = Provider::Bricklink;

fn decode_value<T: serde::de::DeserializeOwned>(endpoint: &str, prefix: &str, v: Value) -> Result<T, MarketError> {
    serde_path_to_error::deserialize(v).map_err(|e| MarketError::Decode {
        marketplace: M,
        endpoint: endpoint.into(),
        path: format!("{prefix}{}", path_suffix(&e.path().to_string())),
        detail: e.inner().to_string(),
    })
}

fn path_suffix(p: &str) -> String {
    if p == "." || p.is_empty() {
        String::new()
    } else if p.starts_with('[') {
        p.to_string()
    } else {
        format!(".{p}")
    }
}

fn bad(endpoint: &str, path: &str, detail: String) -> MarketError {
    MarketError::Decode { marketplace: M, endpoint: endpoint.into(), path: path.into(), detail }
}

/// Each entry separately: one malformed entry is reported as such and never hides the others.
pub fn notifications(data: Value) -> Result<Vec<RemoteNotification>, MarketError> {
    let Value::Array(entries) = data else {
        return Err(bad("/notifications", "data", format!("expected an array, got {}", kind_of(&data))));
    };
    Ok(entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let raw = entry.to_string();
            match decode_value::<NotificationWire>("/notifications", &format!("data[{i}]"), entry.clone()) {
                Ok(n) => {
                    let kind = match n.event_type.as_str() {
                        "Order" => NotificationKind::Order,
                        "Message" => NotificationKind::Message,
                        "Feedback" => NotificationKind::Feedback,
                        _ => NotificationKind::Unknown,
                    };
                    let (timestamp, malformed) = match parse_time(&n.timestamp) {
                        Some(t) => (format_ts(t), None),
                        None => (n.timestamp.clone(), Some(format!("timestamp {:?} is not ISO 8601", n.timestamp))),
                    };
                    RemoteNotification { event_type: n.event_type, kind, resource_id: n.resource_id, timestamp, raw, malformed }
                }
                Err(e) => {
                    let field = |k: &str| entry.get(k).map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
                    RemoteNotification {
                        event_type: field("event_type").unwrap_or_else(|| "?".into()),
                        kind: NotificationKind::Unknown,
                        resource_id: field("resource_id").unwrap_or_else(|| "?".into()),
                        timestamp: field("timestamp").unwrap_or_else(|| format!("entry-{i}")),
                        raw,
                        malformed: Some(e.to_string()),
                    }
                }
            }
        })
        .collect())
}

pub fn open_orders(data: Value) -> Result<Vec<RemoteOrderRef>, MarketError> {
    let list: Vec<OrderSummaryWire> = decode_value("/orders", "data", data)?;
    list.into_iter()
        .enumerate()
        .map(|(i, o)| {
            let date_ordered = parse_time(&o.date_ordered)
                .ok_or_else(|| bad("/orders", &format!("data[{i}].date_ordered"), format!("not ISO 8601: {:?}", o.date_ordered)))?;
            Ok(RemoteOrderRef {
                marker: format!("{}|{}", o.date_status_changed.unwrap_or_default(), o.status),
                external_id: o.order_id,
                status: o.status,
                date_ordered,
            })
        })
        .collect()
}

/// The order header plus its lines (two calls' worth of data).
pub fn order(order_data: Value, items_data: Value) -> Result<RemoteOrder, MarketError> {
    let raw = order_data.to_string();
    let o: OrderWire = decode_value("/orders/{id}", "data", order_data)?;
    let endpoint = format!("/orders/{}", o.order_id);
    let date_ordered =
        parse_time(&o.date_ordered).ok_or_else(|| bad(&endpoint, "data.date_ordered", format!("not ISO 8601: {:?}", o.date_ordered)))?;
    let items_endpoint = format!("/orders/{}/items", o.order_id);
    let batches: Vec<Vec<OrderItemWire>> = decode_value(&items_endpoint, "data", items_data)?;
    let mut lines = Vec::new();
    for (b, batch) in batches.into_iter().enumerate() {
        for (i, it) in batch.into_iter().enumerate() {
            let condition = Condition::parse(&it.new_or_used).ok_or_else(|| {
                bad(&items_endpoint, &format!("data[{b}][{i}].new_or_used"), format!("expected N or U, got {:?}", it.new_or_used))
            })?;
            if it.quantity < 0 {
                return Err(bad(&items_endpoint, &format!("data[{b}][{i}].quantity"), format!("negative quantity {}", it.quantity)));
            }
            let location = Some(it.remarks.trim().to_string()).filter(|r| !r.is_empty());
            lines.push(RemoteLine {
                // A lot appears once per batch; batch + lot (or position) identifies the line.
                line_key: match it.inventory_id {
                    Some(lot) => format!("{b}:{lot}"),
                    None => format!("{b}:#{i}"),
                },
                batch: b as i64,
                item_no: it.item.no,
                item_type: it.item.item_type.to_ascii_uppercase(),
                item_name: it.item.name,
                color_id: Some(it.color_id),
                color_name: it.color_name,
                condition,
                quantity: it.quantity,
                unit_price: it.unit_price,
                location,
                lot_hints: it.inventory_id.map(|id| LotHint::BricklinkLot(id.to_string())).into_iter().collect(),
            });
        }
    }
    Ok(RemoteOrder {
        external_id: o.order_id,
        phase: phase(&o.status),
        status: o.status,
        buyer_name: o.buyer_name,
        date_ordered,
        date_status_changed: o.date_status_changed.as_deref().and_then(parse_time),
        currency: o.cost.currency_code,
        subtotal: o.cost.subtotal,
        grand_total: o.cost.grand_total,
        total_count: o.total_count.unwrap_or_else(|| lines.iter().fold(0i64, |a, l| a.saturating_add(l.quantity))),
        unique_count: o.unique_count.unwrap_or(lines.len() as i64),
        raw,
        lines,
    })
}

/// BrickLink statuses (bricklink.md §6.2). Alerts (NPB, OCR, …), `PAID-PENDING` and anything new
/// keep the order open.
pub fn phase(status: &str) -> OrderPhase {
    match status.trim().to_ascii_uppercase().as_str() {
        "SHIPPED" | "RECEIVED" | "COMPLETED" => OrderPhase::Fulfilled,
        "CANCELLED" | "PURGED" => OrderPhase::Cancelled,
        _ => OrderPhase::Open,
    }
}

/// A BrickLink lot as a local lot to create, with its BrickLink lot id.
pub fn inventory(data: Value) -> Result<Vec<(String, crate::inventory::NewLot)>, MarketError> {
    let lots: Vec<super::wire::InventoryWire> = decode_value("/inventories", "data", data)?;
    lots.into_iter()
        .enumerate()
        .map(|(i, l)| {
            let condition = Condition::parse(&l.new_or_used).ok_or_else(|| {
                bad("/inventories", &format!("data[{i}].new_or_used"), format!("expected N or U, got {:?}", l.new_or_used))
            })?;
            Ok((
                l.inventory_id.to_string(),
                crate::inventory::NewLot {
                    item_no: l.item.no,
                    item_type: l.item.item_type.to_ascii_uppercase(),
                    color_id: l.color_id,
                    condition,
                    quantity: l.quantity.max(0),
                    unit_price: l.unit_price,
                    currency: "USD".into(),
                    location: l.remarks.trim().to_string(),
                    description: l.description,
                },
            ))
        })
        .collect()
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::MoneyE4;

    fn fixture(name: &str) -> Value {
        let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str::<Value>(&text).unwrap()["data"].clone()
    }

    #[test]
    fn reads_the_notifications_fixture() {
        let n = notifications(fixture("bricklink_notifications.json")).unwrap();
        assert_eq!(n.len(), 4);
        assert_eq!(n[0].kind, NotificationKind::Order);
        assert_eq!(n[0].resource_id, "21457893");
        assert_eq!(n[0].timestamp, "2024-11-02T14:03:11.527Z");
        assert_eq!(n[2].kind, NotificationKind::Message);
        assert_eq!(n[3].kind, NotificationKind::Feedback);
        assert!(n.iter().all(|x| x.malformed.is_none()));
    }

    #[test]
    fn a_malformed_or_unknown_entry_does_not_hide_the_others() {
        let data = serde_json::json!([
            {"event_type": "Order", "resource_id": 1, "timestamp": "2026-11-23T10:00:00.000Z"},
            {"event_type": "Order", "timestamp": "2026-11-23T10:00:01.000Z"},
            {"event_type": "Wishlist", "resource_id": "7", "timestamp": "2026-11-23T10:00:02Z"},
            "garbage"
        ]);
        let n = notifications(data).unwrap();
        assert_eq!(n.len(), 4);
        assert!(n[0].malformed.is_none());
        assert!(n[1].malformed.as_deref().unwrap().contains("resource_id"), "{:?}", n[1].malformed);
        assert_eq!(n[2].kind, NotificationKind::Unknown);
        assert!(n[2].malformed.is_none());
        assert!(n[3].malformed.is_some());
    }

    #[test]
    fn reads_the_order_and_batched_items_fixtures() {
        let o = order(fixture("bricklink_order.json"), fixture("bricklink_order_items.json")).unwrap();
        assert_eq!(o.external_id, "21457893");
        assert_eq!(o.currency, "EUR");
        assert_eq!(o.grand_total, MoneyE4::parse("12.4500").unwrap());
        assert!(o.lines.len() >= 2, "{:?}", o.lines);
        let first = &o.lines[0];
        assert_eq!(first.item_no, "3001");
        assert_eq!(first.color_id, Some(11));
        assert_eq!(first.condition, Condition::Used);
        assert_eq!(first.unit_price, MoneyE4(1200));
        assert_eq!(first.location.as_deref(), Some("A-03-2"));
        assert_eq!(first.lot_hints, vec![LotHint::BricklinkLot("398211457".into())]);
        assert!(o.lines.iter().any(|l| l.batch == 1), "second batch kept");
    }

    #[test]
    fn reads_the_inventory_fixture() {
        let lots = inventory(fixture("bricklink_inventories.json")).unwrap();
        assert_eq!(lots.len(), 4);
        assert!(lots.iter().all(|(id, l)| !id.is_empty() && !l.item_no.is_empty()));
    }

    #[test]
    fn wrong_types_name_the_field() {
        let items = serde_json::json!([[{"item": {"no": "3001", "type": "PART"}, "color_id": "red", "quantity": 1, "new_or_used": "N", "unit_price": "0.1"}]]);
        let e = order(fixture("bricklink_order.json"), items).unwrap_err().to_string();
        assert!(e.contains("data[0][0].color_id"), "{e}");
        let items = serde_json::json!([[{"item": {"no": "3001", "type": "PART"}, "color_id": 1, "quantity": 1, "new_or_used": "N", "unit_price": 0.123456}]]);
        let e = order(fixture("bricklink_order.json"), items).unwrap_err().to_string();
        assert!(e.contains("unit_price"), "{e}");
    }
}
