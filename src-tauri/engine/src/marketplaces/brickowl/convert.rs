//! BrickOwl wire → neutral types, in BrickLink's vocabulary (brickowl.md §6): BOIDs become
//! BrickLink item numbers, BrickOwl colours BrickLink colour ids, conditions N/U.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::wire::{ColorWire, InventoryLotWire, OrderItemWire, OrderListEntryWire, OrderViewWire};
use crate::marketplaces::error::MarketError;
use crate::marketplaces::types::{Condition, LotHint, OrderPhase, RemoteLine, RemoteOrder, RemoteOrderRef};
use brickdesk_ipc::Provider;

const M: Provider = Provider::Brickowl;

/// BrickOwl colour id → BrickLink colour id.
pub type ColorMap = HashMap<i64, i64>;

fn decode_value<T: serde::de::DeserializeOwned>(endpoint: &str, v: Value) -> Result<T, MarketError> {
    crate::marketplaces::error::decode_value(M, endpoint, v)
}

fn unix(endpoint: &str, path: &str, secs: i64) -> Result<DateTime<Utc>, MarketError> {
    DateTime::from_timestamp(secs, 0).ok_or_else(|| MarketError::Decode {
        marketplace: M,
        endpoint: endpoint.into(),
        path: path.into(),
        detail: format!("{secs} is not a Unix time"),
    })
}

pub fn order_list(data: Value) -> Result<Vec<RemoteOrderRef>, MarketError> {
    let list: Vec<OrderListEntryWire> = decode_value("/order/list", data)?;
    list.into_iter()
        .enumerate()
        .map(|(i, o)| {
            Ok(RemoteOrderRef {
                date_ordered: unix("/order/list", &format!("[{i}].order_date"), o.order_date)?,
                marker: format!("status-{}", o.status_id),
                external_id: o.order_id,
                status: o.status,
            })
        })
        .collect()
}

pub fn color_map(data: Value) -> Result<ColorMap, MarketError> {
    let colors: HashMap<String, ColorWire> = decode_value("/catalog/color_list", data)?;
    let mut map = ColorMap::new();
    for c in colors.into_values() {
        let first_bl = c.bl_ids.iter().find_map(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())));
        if let Some(bl) = first_bl {
            map.insert(c.id, bl);
        }
    }
    Ok(map)
}

pub fn order(view: Value, items: Value, colors: &ColorMap) -> Result<RemoteOrder, MarketError> {
    let raw = view.to_string();
    let v: OrderViewWire = decode_value("/order/view", view)?;
    let items: Vec<OrderItemWire> = decode_value("/order/items", items)?;
    let lines = items.into_iter().map(|it| line(it, colors)).collect::<Vec<_>>();
    Ok(RemoteOrder {
        phase: phase(&v.status_id),
        date_ordered: unix("/order/view", "order_time", v.order_time)?,
        date_status_changed: None,
        status: if v.status.is_empty() { format!("status {}", v.status_id) } else { v.status },
        buyer_name: v.buyer_name,
        currency: v.base_currency,
        subtotal: v.sub_total,
        grand_total: v.base_order_total,
        total_count: v.total_quantity.unwrap_or_else(|| lines.iter().fold(0i64, |a, l| a.saturating_add(l.quantity))),
        unique_count: v.total_lots.unwrap_or(lines.len() as i64),
        external_id: v.order_id,
        raw,
        delivery_method: None,
        lines,
    })
}

fn line(it: OrderItemWire, colors: &ColorMap) -> RemoteLine {
    let xref = |t: &str| it.ids.iter().find(|x| x.id_type == t).map(|x| x.id.clone());
    // BrickLink's number if BrickOwl knows it; the LEGO design id is the same for most parts.
    let item_no = xref("bl_item_no").or_else(|| xref("design_id")).unwrap_or_else(|| it.boid.clone());
    let condition = match it.full_con.as_deref().unwrap_or(&it.condition).to_ascii_lowercase() {
        c if c.starts_with("new") => Condition::New,
        _ => Condition::Used,
    };
    let mut hints = Vec::new();
    for ext in it.external_lot_ids.values() {
        match lot_of_external_id(&ext) {
            Some(local) => hints.push(LotHint::Local(local)),
            None => hints.push(LotHint::BricklinkLot(ext)),
        }
    }
    if let Some(bl) = it.bl_lot_id.filter(|s| !s.trim().is_empty()) {
        let hint = LotHint::BricklinkLot(bl);
        if !hints.contains(&hint) {
            hints.push(hint);
        }
    }
    if !it.lot_id.is_empty() {
        hints.push(LotHint::BrickowlLot(it.lot_id.clone()));
    }
    RemoteLine {
        line_key: it.order_item_id,
        batch: 0,
        item_no,
        item_type: bl_type(&it.item_type).to_string(),
        item_name: it.name,
        color_id: it.color_id.and_then(|c| colors.get(&c).copied()),
        color_name: it.color_name,
        condition,
        quantity: it.ordered_quantity,
        unit_price: it.base_price,
        location: it.personal_note.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        lot_hints: hints,
    }
}

/// A BrickOwl store lot, in BrickLink's vocabulary where BrickOwl gives it (for the import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreLot {
    pub lot_id: String,
    /// The base BOID (the colour suffix taken off).
    pub boid: String,
    /// BrickOwl's item type (`Part`, `Set`, …).
    pub bo_type: String,
    /// BrickLink's item type for `bo_type`.
    pub item_type: String,
    /// BrickLink's number when BrickOwl lists one (`ids` of type `bl_item_no`).
    pub bl_item_no: Option<String>,
    /// The LEGO design id: BrickLink's number for most parts when BrickOwl lists no other.
    pub design_id: Option<String>,
    /// BrickOwl's colour (the BOID suffix), if any.
    pub bo_color: Option<i64>,
    /// BrickLink's colour: 0 for an item without colour, `None` when BrickOwl's colour has no
    /// BrickLink twin in the colour list.
    pub color_id: Option<i64>,
    pub condition: Condition,
    pub quantity: i64,
    pub price: crate::base::money::MoneyE4,
    /// `personal_note`: BrickDesk's storage location.
    pub location: String,
    /// `public_note`: BrickDesk's description.
    pub description: String,
    /// `external_lot_ids` values (BrickDesk writes `bd-<lot id>`).
    pub external_ids: Vec<String>,
}

/// `inventory/list` → store lots; colours mapped through `colors` (BrickOwl → BrickLink).
pub fn inventory(data: Value, colors: &ColorMap) -> Result<Vec<StoreLot>, MarketError> {
    let lots: Vec<InventoryLotWire> = decode_value("/inventory/list", data)?;
    Ok(lots
        .into_iter()
        .map(|l| {
            let xref = |t: &str| l.ids.iter().find(|x| x.id_type == t).map(|x| x.id.trim().to_string()).filter(|s| !s.is_empty());
            let (bl_item_no, design_id) = (xref("bl_item_no"), xref("design_id"));
            // "487300-38": base BOID 487300 in BrickOwl colour 38 (brickowl.md §3).
            let (boid, bo_color) = match l.boid.trim().split_once('-') {
                Some((base, c)) => (base.to_string(), c.trim().parse::<i64>().ok()),
                None => (l.boid.trim().to_string(), None),
            };
            let color_id = match bo_color {
                Some(c) => colors.get(&c).copied(),
                None => Some(0),
            };
            let condition = match l.full_con.as_deref().unwrap_or(&l.con).trim().to_ascii_lowercase() {
                c if c.starts_with("new") => Condition::New,
                _ => Condition::Used,
            };
            StoreLot {
                item_type: bl_type(&l.item_type).to_string(),
                bo_type: l.item_type,
                lot_id: l.lot_id,
                boid,
                bl_item_no,
                design_id,
                bo_color,
                color_id,
                condition,
                quantity: l.qty.max(0),
                price: l.price,
                location: l.personal_note.unwrap_or_default().trim().to_string(),
                description: l.public_note.unwrap_or_default(),
                external_ids: l.external_lot_ids.values(),
            }
        })
        .collect())
}

/// BrickLink item type → BrickOwl type for `catalog/id_lookup` (BrickSync's mapping,
/// brickowl.md §6); `None` for types BrickOwl cannot look up (books, catalogs, unsorted lots).
pub fn bo_type(item_type: &str, item_no: &str) -> Option<&'static str> {
    match item_type {
        "PART" if item_no.to_ascii_lowercase().contains("stk") => Some("Sticker"),
        "PART" => Some("Part"),
        "SET" => Some("Set"),
        "MINIFIG" => Some("Minifigure"),
        "GEAR" => Some("Gear"),
        "INSTRUCTION" => Some("Instructions"),
        "ORIGINAL_BOX" => Some("Packaging"),
        _ => None,
    }
}

/// BrickLink condition → BrickOwl condition code (BrickSync's mapping, brickowl.md §6). BrickDesk
/// keeps no grade or completeness: new sets are sealed, used ones complete, used parts like new.
pub fn bo_condition(item_type: &str, condition: Condition) -> &'static str {
    match (item_type, condition) {
        ("SET", Condition::New) => "news",
        ("SET", Condition::Used) => "usedc",
        (_, Condition::New) => "new",
        (_, Condition::Used) => "usedn",
    }
}

/// BrickOwl status ids (brickowl.md §5): 5 Shipped and 6 Received are fulfilled, 8 Cancelled;
/// pending, paid, processing, processed, on hold and unknown ids stay open.
pub fn phase(status_id: &str) -> OrderPhase {
    match status_id.trim() {
        "5" | "6" => OrderPhase::Fulfilled,
        "8" => OrderPhase::Cancelled,
        _ => OrderPhase::Open,
    }
}

/// BrickOwl item type → BrickLink item type (brickowl.md §6).
pub fn bl_type(t: &str) -> &'static str {
    match t {
        "Set" => "SET",
        "Minifigure" => "MINIFIG",
        "Gear" => "GEAR",
        "Instructions" => "INSTRUCTION",
        "Packaging" => "ORIGINAL_BOX",
        _ => "PART",
    }
}

/// BrickDesk's name for lot `lot` in BrickOwl's `external_id`.
pub fn external_id(lot: i64) -> String {
    format!("bd-{lot}")
}

/// The local lot an external id names, when BrickDesk wrote it.
pub fn lot_of_external_id(ext: &str) -> Option<i64> {
    ext.trim().strip_prefix("bd-").and_then(|n| n.parse().ok())
}

/// A price as BrickOwl keeps it: three decimals, rounded half up (brickowl.md §3), in e4.
pub fn price_e4_on_brickowl(price_e4: i64) -> i64 {
    (price_e4.max(0) + 5) / 10 * 10
}

/// A refusal BrickDesk can name before BrickOwl would: permanent, so the row fails for good with
/// words the seller can act on.
pub fn refused(endpoint: &str, message: &str, description: String) -> MarketError {
    MarketError::Rejected {
        marketplace: Provider::Brickowl,
        endpoint: endpoint.into(),
        envelope: crate::marketplaces::Envelope { code: 400, message: message.into(), description },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::money::MoneyE4;

    fn fixture(name: &str) -> Value {
        let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
    }

    #[test]
    fn reads_the_order_fixtures() {
        let list = order_list(fixture("brickowl_order_list.json")).unwrap();
        assert_eq!(list[0].external_id, "9277759");
        assert_eq!(list[0].marker, "status-3");
        let colors: ColorMap = [(38, 11), (39, 1)].into_iter().collect();
        let o = order(fixture("brickowl_order_view.json"), fixture("brickowl_order_items.json"), &colors).unwrap();
        assert_eq!(o.external_id, "3506238");
        assert_eq!(o.currency, "USD");
        assert_eq!(o.grand_total, MoneyE4::parse("8.47").unwrap());
        let l = &o.lines[0];
        assert_eq!((l.item_no.as_str(), l.color_id, l.condition), ("3069", Some(11), Condition::New));
        assert_eq!(l.unit_price, MoneyE4(1040));
        assert_eq!(l.location.as_deref(), Some("B02"));
        assert!(l.lot_hints.contains(&LotHint::BricklinkLot("55984791".into())));
        let l2 = &o.lines[1];
        assert_eq!((l2.color_id, l2.condition), (Some(1), Condition::Used));
        assert!(!l2.lot_hints.iter().any(|h| matches!(h, LotHint::BricklinkLot(_))), "external_lot_ids [] means none");
    }

    #[test]
    fn reads_the_inventory_fixture() {
        let colors: ColorMap = [(64, 11)].into_iter().collect();
        let lots = inventory(fixture("brickowl_inventory_list.json"), &colors).unwrap();
        let l = &lots[0];
        assert_eq!((l.lot_id.as_str(), l.boid.as_str(), l.bo_color, l.color_id), ("2726773", "306255", Some(64), Some(11)));
        assert_eq!((l.item_type.as_str(), l.design_id.as_deref(), l.condition), ("PART", Some("30562"), Condition::New));
        assert_eq!((l.quantity, l.price, l.location.as_str()), (12, MoneyE4::parse("0.72").unwrap(), "A03+"));
        assert_eq!(l.external_ids, vec!["55984821".to_string()]);
        assert!(lots.iter().skip(1).all(|l| l.bo_color.is_none() || l.color_id.is_none()), "other colours are not in the map");
    }

    #[test]
    fn unmapped_colour_stays_unknown() {
        let o = order(fixture("brickowl_order_view.json"), fixture("brickowl_order_items.json"), &ColorMap::new()).unwrap();
        assert_eq!(o.lines[0].color_id, None);
    }

    #[test]
    fn bad_numbers_name_the_field() {
        let mut items = fixture("brickowl_order_items.json");
        items[1]["ordered_quantity"] = Value::String("six".into());
        let e = order(fixture("brickowl_order_view.json"), items, &ColorMap::new()).unwrap_err().to_string();
        assert!(e.contains("[1].ordered_quantity"), "{e}");
    }
}

/// Where a stored BrickOwl order goes (`raw`: `order/view`): `ship_method_name`, and the
/// `ship_*` fields as a label reads them (brickowl.md §5).
pub fn shipping(raw: &Value) -> (Option<String>, Option<String>) {
    let text = |k: &str| raw[k].as_str().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let name = [text("ship_first_name"), text("ship_last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let town = [text("ship_post_code"), text("ship_city")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let lines: Vec<String> =
        [Some(name), text("ship_street_1"), text("ship_street_2"), Some(town), text("ship_region"), text("ship_country")]
            .into_iter()
            .flatten()
            .filter(|l| !l.is_empty())
            .collect();
    (text("ship_method_name"), (!lines.is_empty()).then(|| lines.join("\n")))
}

/// One status for every marketplace, from BrickOwl's stored status name (or `status N` when it
/// sent none). `None` for On Hold and unknown statuses: the order keeps what it had.
pub fn fulfillment(status: &str) -> Option<brickdesk_ipc::Fulfillment> {
    use brickdesk_ipc::Fulfillment as F;
    let s = status.trim().to_ascii_lowercase();
    let id = s.strip_prefix("status ").unwrap_or("");
    Some(match (s.as_str(), id) {
        ("pending" | "payment submitted", _) | (_, "0" | "1") => F::New,
        ("payment received" | "processing", _) | (_, "2" | "3") => F::Paid,
        ("processed", _) | (_, "4") => F::Packed,
        ("shipped", _) | (_, "5") => F::Shipped,
        ("received", _) | (_, "6") => F::Completed,
        ("cancelled", _) | (_, "8") => F::Cancelled,
        _ => return None,
    })
}

/// The `status_id` `order/set_status` takes for a status the seller sets (brickowl.md §5).
pub fn status_id(f: brickdesk_ipc::Fulfillment) -> Option<u8> {
    use brickdesk_ipc::Fulfillment as F;
    match f {
        F::Paid => Some(2),
        F::Packed => Some(4),
        F::Shipped => Some(5),
        _ => None,
    }
}
