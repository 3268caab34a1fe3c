//! BrickLink wire → neutral types, once.

use serde_json::Value;

use super::wire::{NotificationWire, OrderItemWire, OrderSummaryWire, OrderWire};
use crate::base::clock::format_ts;
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
                    RemoteNotification {
                        event_type: n.event_type,
                        kind,
                        resource_id: n.resource_id,
                        timestamp,
                        raw,
                        malformed,
                        event_id: None,
                    }
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
                        event_id: None,
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
        delivery_method: None,
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
pub fn inventory(data: Value) -> Result<Vec<(String, crate::marketplaces::types::NewLot)>, MarketError> {
    let lots: Vec<super::wire::InventoryWire> = decode_value("/inventories", "data", data)?;
    lots.into_iter()
        .enumerate()
        .map(|(i, l)| {
            let condition = Condition::parse(&l.new_or_used).ok_or_else(|| {
                bad("/inventories", &format!("data[{i}].new_or_used"), format!("expected N or U, got {:?}", l.new_or_used))
            })?;
            Ok((
                l.inventory_id.to_string(),
                crate::marketplaces::types::NewLot {
                    item_no: l.item.no,
                    item_type: l.item.item_type.to_ascii_uppercase(),
                    color_id: l.color_id,
                    condition,
                    quantity: l.quantity.max(0),
                    unit_price: l.unit_price,
                    currency: "USD".into(),
                    location: location_from_remarks(&l.remarks),
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

/// The tag that names a BrickDesk lot in BrickLink's private `remarks` after its location, so a
/// create whose outcome was lost can be found again.
pub fn tag(lot: i64) -> String {
    format!("[BD-{lot}]")
}

/// `remarks` as BrickDesk writes them: the location, then the tag.
pub fn remarks(location: &str, lot: i64) -> String {
    if location.is_empty() {
        tag(lot)
    } else {
        format!("{location} {}", tag(lot))
    }
}

/// A location read back from BrickLink `remarks`, without BrickDesk's tag.
pub fn location_from_remarks(remarks: &str) -> String {
    let r = remarks.trim();
    match r.rfind(" [BD-").or_else(|| r.starts_with("[BD-").then_some(0)) {
        Some(i) if r.ends_with(']') => r[..i].trim().to_string(),
        _ => r.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::money::MoneyE4;

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

/// A lot of the store as BrickLink holds it.
#[derive(Debug, Clone)]
pub struct RemoteLot {
    pub remote_id: String,
    pub lot: crate::marketplaces::types::NewLot,
}

/// `GET /inventories` (or one lot wrapped in an array) as remote lots.
pub fn remote_lots(data: Value) -> Result<Vec<RemoteLot>, MarketError> {
    Ok(inventory(data)?.into_iter().map(|(remote_id, lot)| RemoteLot { remote_id, lot }).collect())
}

/// A catalog item as BrickDesk keeps it (`ipc::CatalogItem` without colours and prices).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CatalogItemFacts {
    pub item_type: String,
    pub item_no: String,
    pub name: String,
    pub category_id: i64,
    pub year_released: Option<i64>,
    pub weight: String,
    pub dim_x: String,
    pub dim_y: String,
    pub dim_z: String,
    pub image_url: String,
}

/// `GET /items/{type}/{no}`: names may carry HTML entities; image URLs are protocol-relative
/// (bricklink.md §6.4) and become `https:`.
pub fn catalog_item(data: Value) -> Result<CatalogItemFacts, MarketError> {
    let w: super::wire::ItemWire = decode_value("/items", "data", data)?;
    let image_url = match w.image_url.as_deref().map(str::trim) {
        Some(u) if u.starts_with("//") => format!("https:{u}"),
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => u.to_string(),
        _ => String::new(),
    };
    Ok(CatalogItemFacts {
        item_type: w.item_type,
        item_no: w.no,
        name: decode_entities(&w.name),
        category_id: w.category_id.unwrap_or(0),
        year_released: w.year_released.filter(|y| *y > 0),
        weight: w.weight.unwrap_or_default(),
        dim_x: w.dim_x.unwrap_or_default(),
        dim_y: w.dim_y.unwrap_or_default(),
        dim_z: w.dim_z.unwrap_or_default(),
        image_url,
    })
}

/// `GET /items/{type}/{no}/colors` as (colour id, known quantity).
pub fn item_colors(data: Value) -> Result<Vec<(i64, i64)>, MarketError> {
    let list: Vec<super::wire::ItemColorWire> = decode_value("/items/colors", "data", data)?;
    Ok(list.into_iter().map(|c| (c.color_id, c.quantity.unwrap_or(0))).collect())
}

/// `GET /colors` as (id, name, hex, type).
pub fn colors(data: Value) -> Result<Vec<(i64, String, String, String)>, MarketError> {
    let list: Vec<super::wire::ColorWire> = decode_value("/colors", "data", data)?;
    Ok(list.into_iter().map(|c| (c.color_id, c.color_name, c.color_code, c.color_type)).collect())
}

/// One price guide's summary numbers, exact.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PriceGuideFacts {
    pub new_or_used: String,
    pub currency: String,
    pub min_price: String,
    pub avg_price: String,
    pub qty_avg_price: String,
    pub max_price: String,
    pub total_quantity: i64,
    pub lots: i64,
}

pub fn price_guide(data: Value) -> Result<PriceGuideFacts, MarketError> {
    let w: super::wire::PriceGuideWire = decode_value("/items/price", "data", data)?;
    let money = |m: crate::base::money::MoneyE4| m.to_string_with(4);
    Ok(PriceGuideFacts {
        new_or_used: w.new_or_used,
        currency: w.currency_code,
        min_price: money(w.min_price),
        avg_price: money(w.avg_price),
        qty_avg_price: money(w.qty_avg_price),
        max_price: money(w.max_price),
        total_quantity: w.total_quantity,
        lots: w.unit_quantity,
    })
}

/// The few HTML entities BrickLink puts in names (`&#40;` for "(", `&amp;`, `&quot;` …).
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let decoded = tail.find(';').filter(|end| *end <= 10).and_then(|end| {
            let entity = &tail[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod catalog_tests {
    use super::*;

    #[test]
    fn item_names_lose_their_entities_and_images_get_https() {
        let item = catalog_item(serde_json::json!({
            "no": "3001", "name": "Brick 2 x 4 &#40;Old&#41; &amp; &quot;new&quot; &bogus", "type": "PART", "category_id": 5,
            "image_url": "//img.bricklink.com/PL/3001.png", "weight": "2.32", "dim_x": "4.00", "dim_y": "2.00", "dim_z": "1.20",
            "year_released": 1958
        }))
        .unwrap();
        assert_eq!(item.name, "Brick 2 x 4 (Old) & \"new\" &bogus");
        assert_eq!(item.image_url, "https://img.bricklink.com/PL/3001.png");
        assert_eq!((item.weight.as_str(), item.year_released), ("2.32", Some(1958)));
    }

    #[test]
    fn the_shared_price_guide_fixture_converts_exactly() {
        let v: Value = serde_json::from_str(include_str!("../../../fixtures/bricklink_price_guide.json")).unwrap();
        let g = price_guide(v["data"].clone()).unwrap();
        assert_eq!((g.min_price.as_str(), g.avg_price.as_str(), g.currency.as_str()), ("96.0440", "162.3401", "USD"));
        assert_eq!((g.total_quantity, g.lots), (359, 298));
        let colours = item_colors(serde_json::json!([{"color_id": "5", "quantity": "12"}, {"color_id": 11}])).unwrap();
        assert_eq!(colours, vec![(5, 12), (11, 0)]);
        let bad = price_guide(serde_json::json!({"new_or_used": "N", "currency_code": "USD", "min_price": 1.5})).unwrap_err();
        assert!(bad.to_string().contains("max_price"), "{bad}");
    }

    #[test]
    fn the_tag_never_becomes_part_of_the_location() {
        assert_eq!(location_from_remarks("A-01 [BD-12]"), "A-01");
        assert_eq!(location_from_remarks("[BD-12]"), "");
        assert_eq!(location_from_remarks("Box 3 [old]"), "Box 3 [old]");
        assert_eq!(location_from_remarks(" B-2 "), "B-2");
    }
}

/// Where a stored BrickLink order goes (`raw`: `GET /orders/{id}`'s data): the shipping method,
/// and the address as a label reads — the buyer's full name, then `address.full` line by line
/// (bricklink.md §5: always present; the split fields only for normalised addresses).
pub fn shipping(raw: &Value) -> (Option<String>, Option<String>) {
    let s = &raw["shipping"];
    let text = |v: &Value| v.as_str().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let method = text(&s["method"]);
    let a = &s["address"];
    let name = text(&a["name"]["full"]).or_else(|| {
        let n = [text(&a["name"]["first"]), text(&a["name"]["last"])].into_iter().flatten().collect::<Vec<_>>().join(" ");
        (!n.is_empty()).then_some(n)
    });
    let body: Option<String> = text(&a["full"]).or_else(|| {
        let parts = [text(&a["address1"]), text(&a["address2"]), text(&a["city"]), text(&a["state"]), text(&a["postal_code"])];
        let joined = parts.into_iter().flatten().collect::<Vec<_>>().join("\n");
        (!joined.is_empty()).then_some(joined)
    });
    let mut lines: Vec<String> = body.iter().flat_map(|b| b.lines()).map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    // `full` may start with the name already (it does in some stores' data).
    if let Some(name) = name.filter(|n| lines.first() != Some(n)) {
        lines.insert(0, name);
    }
    // The country, unless `full` ends with it already (`DE`, `Germany`, `USA`).
    if let Some(code) = text(&a["country_code"]) {
        let last = lines.last().map(|l| l.to_uppercase()).unwrap_or_default();
        let names: &[&str] = match code.as_str() {
            "US" => &["USA", "UNITED STATES", "UNITED STATES OF AMERICA"],
            "UK" | "GB" => &["UK", "UNITED KINGDOM", "GREAT BRITAIN"],
            "DE" => &["GERMANY", "DEUTSCHLAND"],
            "PL" => &["POLAND", "POLSKA"],
            "NL" => &["NETHERLANDS", "NEDERLAND"],
            "FR" => &["FRANCE"],
            _ => &[],
        };
        if last != code.to_uppercase() && !names.contains(&last.as_str()) {
            lines.push(code);
        }
    }
    (method, (!lines.is_empty()).then(|| lines.join("\n")))
}

/// One status for every marketplace, from BrickLink's order status and (for an order paid
/// off-site while still `PENDING`) its payment status. `None` for statuses that say nothing of
/// where the order is (`NPB`, `OCR`, …): the order keeps what it had.
pub fn fulfillment(status: &str, raw: &Value) -> Option<brickdesk_ipc::Fulfillment> {
    use brickdesk_ipc::Fulfillment as F;
    let paid = matches!(raw["payment"]["status"].as_str(), Some("Received" | "Completed"));
    Some(match status.trim().to_ascii_uppercase().as_str() {
        "PENDING" | "UPDATED" | "PROCESSING" | "READY" | "PAID-PENDING" if paid => F::Paid,
        "PENDING" | "UPDATED" | "PROCESSING" | "READY" | "PAID-PENDING" => F::New,
        "PAID" => F::Paid,
        "PACKED" => F::Packed,
        "SHIPPED" => F::Shipped,
        "RECEIVED" | "COMPLETED" => F::Completed,
        "CANCELLED" | "PURGED" => F::Cancelled,
        _ => return None,
    })
}

#[cfg(test)]
mod shipping_tests {
    use super::*;

    #[test]
    fn a_label_names_the_buyer_and_the_country_once() {
        let with_both = serde_json::json!({"shipping": {"method": "Letter", "address": {
            "name": {"full": "Anna Nowak"}, "full": "Anna Nowak\n1 Example Street\n12345 Sampletown\nUSA", "country_code": "US"}}});
        assert_eq!(shipping(&with_both).1.as_deref(), Some("Anna Nowak\n1 Example Street\n12345 Sampletown\nUSA"));
        let bare = serde_json::json!({"shipping": {"address": {"name": {"full": "B"}, "full": "Buyer Street 11 123Zip Town", "country_code": "DE"}}});
        assert_eq!(shipping(&bare), (None, Some("B\nBuyer Street 11 123Zip Town\nDE".into())));
    }
}
