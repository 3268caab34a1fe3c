//! Local inventory lots. Every change goes through the ledger (one row per change, in sequence)
//! in the same transaction as the change itself.

use brickdesk_ipc::{InventoryAddInput, InventoryLot, InventoryUpdateInput};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};

use crate::base::clock::format_ts;
use crate::base::money::MoneyE4;
use crate::error::{Error, Result};
use crate::marketplaces::types::{Condition, NewLot};

const ITEM_TYPES: &[&str] = &["PART", "MINIFIG", "SET", "BOOK", "GEAR", "CATALOG", "INSTRUCTION", "UNSORTED_LOT", "ORIGINAL_BOX"];

impl NewLot {
    /// Checks what a seller typed; errors name the field.
    pub fn validate(input: InventoryAddInput) -> Result<NewLot> {
        let bad = |field: &str, detail: String| Error::InvalidInput { what: format!("inventory field `{field}`"), detail };
        let item_no = input.item_no.trim().to_string();
        if item_no.is_empty() || item_no.len() > 64 || item_no.chars().any(char::is_control) {
            return Err(bad("item_no", "must be 1–64 printable characters".into()));
        }
        let item_type = input.item_type.trim().to_ascii_uppercase();
        if !ITEM_TYPES.contains(&item_type.as_str()) {
            return Err(bad("item_type", format!("{:?} is not one of {}", input.item_type, ITEM_TYPES.join(", "))));
        }
        if input.color_id < 0 {
            return Err(bad("color_id", format!("must be 0 or more, got {}", input.color_id)));
        }
        let condition =
            Condition::parse(&input.condition).ok_or_else(|| bad("condition", format!("must be N or U, got {:?}", input.condition)))?;
        if input.quantity < 0 {
            return Err(bad("quantity", format!("must be 0 or more, got {}", input.quantity)));
        }
        let unit_price = MoneyE4::parse(&input.unit_price.as_text()).map_err(|e| bad("unit_price", e.to_string()))?;
        if unit_price.0 < 0 {
            return Err(bad("unit_price", "must not be negative".into()));
        }
        let currency = input.currency.unwrap_or_else(|| "USD".into()).trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(bad("currency", format!("expected a 3-letter code, got {currency:?}")));
        }
        Ok(NewLot {
            item_no,
            item_type,
            color_id: input.color_id,
            condition,
            quantity: input.quantity,
            unit_price,
            currency,
            location: input.location.trim().to_string(),
            description: input.description,
        })
    }
}

/// Inserts the lot and its `create` ledger entry (due for every marketplace in sync); returns the
/// lot id.
pub fn add(tx: &Transaction<'_>, lot: &NewLot, now: DateTime<Utc>) -> Result<i64> {
    add_with(tx, lot, now, None)
}

/// [`add`], in a user action whose ledger entries share `correlation`.
pub fn add_with(tx: &Transaction<'_>, lot: &NewLot, now: DateTime<Utc>, correlation: Option<&str>) -> Result<i64> {
    let (id, seq) = insert(tx, lot, now, correlation)?;
    crate::stock::outbox::mark_due_at(tx, id, seq, &crate::stock::outbox::due_targets(tx)?, now)?;
    Ok(id)
}

/// The lot's row and its `create` ledger entry, nothing else (no marketplace is told): returns
/// the lot id and the entry's sequence number.
pub fn insert(tx: &Transaction<'_>, lot: &NewLot, now: DateTime<Utc>, correlation: Option<&str>) -> Result<(i64, i64)> {
    let now = format_ts(now);
    // `execute` and the rowid rather than `RETURNING`, which made this insert three times slower
    // (measured in the scale bench: an import inserts 100,000 of them).
    crate::store::exec(
        tx,
        "INSERT INTO inventory (item_no, item_type, color_id, condition, location, quantity, unit_price_e4, currency, description, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        params![lot.item_no, lot.item_type, lot.color_id, lot.condition.as_str(), lot.location, lot.quantity, lot.unit_price.0, lot.currency, lot.description, now],
    )?;
    let id = tx.last_insert_rowid();
    let detail = serde_json::json!({
        "item_no": lot.item_no, "item_type": lot.item_type, "color_id": lot.color_id, "condition": lot.condition.as_str(),
        "location": lot.location, "unit_price": lot.unit_price.to_string_with(4), "currency": lot.currency,
    });
    crate::store::exec(
        tx,
        "INSERT INTO ledger (inventory_id, kind, quantity_delta, detail, correlation_id, created_at) VALUES (?1, 'create', ?2, ?3, ?4, ?5)",
        params![id, lot.quantity, detail.to_string(), correlation, now],
    )?;
    // `seq` is the ledger's rowid.
    let seq = tx.last_insert_rowid();
    Ok((id, seq))
}

/// Applies the seller's edit: one `update` ledger entry with the quantity delta and the fields
/// changed, then due for every marketplace in sync. An edit that changes nothing writes nothing.
/// Returns whether anything changed.
pub fn update(tx: &Transaction<'_>, id: i64, input: &InventoryUpdateInput, now: DateTime<Utc>, correlation: &str) -> Result<bool> {
    let bad = |field: &str, detail: String| Error::InvalidInput { what: format!("inventory field `{field}`"), detail };
    let current: Option<(i64, i64, i64, String, String, String)> = tx
        .query_row(
            "SELECT quantity, reserved, unit_price_e4, location, description, condition FROM inventory WHERE id = ?1 AND deleted_at IS NULL",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let (quantity, reserved, price, location, description, condition) =
        current.ok_or_else(|| Error::NotFound { what: "inventory lot".into(), id: id.to_string() })?;
    let new_quantity = match input.quantity {
        Some(q) if q < 0 => return Err(bad("quantity", format!("must be 0 or more, got {q}"))),
        // The pieces are sold: fewer than that on the shelf is a cancelled order, not an edit.
        Some(q) if q < reserved => {
            return Err(bad("quantity", format!("{reserved} are held for open orders, so it cannot be less than that (got {q})")))
        }
        Some(q) => q,
        None => quantity,
    };
    let new_price = match &input.unit_price {
        Some(p) => {
            let p = MoneyE4::parse(&p.as_text()).map_err(|e| bad("unit_price", e.to_string()))?;
            if p.0 < 0 {
                return Err(bad("unit_price", "must not be negative".into()));
            }
            p.0
        }
        None => price,
    };
    let new_location = input.location.as_deref().map(str::trim).map(str::to_string).unwrap_or(location.clone());
    if new_location.chars().any(char::is_control) || new_location.len() > 64 {
        return Err(bad("location", "must be at most 64 printable characters".into()));
    }
    let new_description = input.description.clone().unwrap_or(description.clone());
    let new_condition = match &input.condition {
        Some(c) => Condition::parse(c).ok_or_else(|| bad("condition", format!("must be N or U, got {c:?}")))?.as_str().to_string(),
        None => condition.clone(),
    };
    let mut changed = serde_json::Map::new();
    if new_price != price {
        changed.insert("unit_price".into(), serde_json::json!(MoneyE4(new_price).to_string_with(4)));
    }
    if new_location != location {
        changed.insert("location".into(), serde_json::json!(new_location));
    }
    if new_description != description {
        changed.insert("description".into(), serde_json::json!(new_description));
    }
    if new_condition != condition {
        changed.insert("condition".into(), serde_json::json!(new_condition));
    }
    let delta = new_quantity - quantity;
    if delta == 0 && changed.is_empty() {
        return Ok(false);
    }
    let now_s = format_ts(now);
    tx.execute(
        "UPDATE inventory SET quantity = ?2, unit_price_e4 = ?3, location = ?4, description = ?5, condition = ?6, updated_at = ?7 WHERE id = ?1",
        params![id, new_quantity, new_price, new_location, new_description, new_condition, now_s],
    )?;
    tx.execute(
        "INSERT INTO ledger (inventory_id, kind, quantity_delta, detail, correlation_id, created_at) VALUES (?1, 'update', ?2, ?3, ?4, ?5)",
        params![id, delta, serde_json::Value::Object(changed).to_string(), correlation, now_s],
    )?;
    crate::stock::outbox::mark_due(tx, id, now)?;
    Ok(true)
}

/// Deletes the lot (kept as a tombstone for the ledger and its order lines): a `delete` entry
/// takes its quantity to zero, and every marketplace in sync deletes its copy. A lot still
/// holding pieces for open orders is refused.
pub fn delete(tx: &Transaction<'_>, id: i64, now: DateTime<Utc>, correlation: &str) -> Result<()> {
    let current: Option<(i64, i64)> = tx
        .query_row("SELECT quantity, reserved FROM inventory WHERE id = ?1 AND deleted_at IS NULL", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (quantity, reserved) = current.ok_or_else(|| Error::NotFound { what: "inventory lot".into(), id: id.to_string() })?;
    if reserved > 0 {
        return Err(Error::InvalidInput {
            what: format!("delete of lot {id}"),
            detail: format!("{reserved} pieces are reserved by open orders; ship or cancel them first"),
        });
    }
    let now_s = format_ts(now);
    tx.execute("UPDATE inventory SET quantity = 0, deleted_at = ?2, updated_at = ?2 WHERE id = ?1", params![id, now_s])?;
    tx.execute(
        "INSERT INTO ledger (inventory_id, kind, quantity_delta, correlation_id, created_at) VALUES (?1, 'delete', ?2, ?3, ?4)",
        params![id, -quantity, correlation, now_s],
    )?;
    crate::stock::outbox::mark_due(tx, id, now)?;
    Ok(())
}

/// Records that `id` is the marketplace lot `remote_id`, which holds `remote` (its quantity for
/// sale, price, location, description, condition as imported): in sync, nothing is due for it.
pub fn link_remote(tx: &Transaction<'_>, id: i64, marketplace: &str, remote_id: &str, remote: &NewLot, now: DateTime<Utc>) -> Result<()> {
    let seq: i64 = crate::store::row(tx, "SELECT max(seq) FROM ledger WHERE inventory_id = ?1", [id], |r| r.get(0))?;
    record_link(tx, id, seq, marketplace, remote_id, remote, now)?;
    // Created from the marketplace's own lot: nothing to push back to it.
    crate::store::exec(tx, "DELETE FROM outbox WHERE inventory_id = ?1 AND marketplace = ?2", params![id, marketplace])?;
    Ok(())
}

/// Lot `id` was linked to `marketplace` by the store import at `now`, which made it (`created`) or
/// found it (see `import_open_orders`).
pub fn mark_imported(tx: &Transaction<'_>, id: i64, marketplace: &str, now: DateTime<Utc>, created: bool) -> Result<()> {
    crate::store::exec(
        tx,
        "UPDATE sync_state SET imported_at = ?3, import_created = ?4 WHERE inventory_id = ?1 AND marketplace = ?2",
        params![id, marketplace, format_ts(now), created],
    )?;
    Ok(())
}

/// The `sync_state` row of [`link_remote`]: the remote copy reflects the ledger up to `seq`.
pub fn record_link(
    tx: &Transaction<'_>,
    id: i64,
    seq: i64,
    marketplace: &str,
    remote_id: &str,
    remote: &NewLot,
    now: DateTime<Utc>,
) -> Result<()> {
    let pushed = crate::stock::outbox::pushed_fields(remote.unit_price.0, &remote.location, &remote.description, remote.condition.as_str())
        .to_string();
    crate::store::exec(
        tx,
        "INSERT INTO sync_state (inventory_id, marketplace, remote_id, status, synced_seq, remote_quantity, pushed, updated_at)
         VALUES (?1, ?2, ?3, 'synced', ?4, ?5, ?6, ?7)
         ON CONFLICT (inventory_id, marketplace) DO UPDATE SET remote_id = excluded.remote_id, status = 'synced',
             synced_seq = excluded.synced_seq, remote_quantity = excluded.remote_quantity, pushed = excluded.pushed",
        params![id, marketplace, remote_id, seq, remote.quantity, pushed, format_ts(now)],
    )?;
    Ok(())
}

fn lot(r: &Row<'_>) -> rusqlite::Result<InventoryLot> {
    Ok(InventoryLot {
        id: r.get(0)?,
        item_no: r.get(1)?,
        item_type: r.get(2)?,
        color_id: r.get(3)?,
        condition: r.get(4)?,
        location: r.get(5)?,
        quantity: r.get(6)?,
        reserved: r.get(7)?,
        unit_price: MoneyE4(r.get(8)?).to_string_with(2),
        currency: r.get(9)?,
        description: r.get(10)?,
        item_name: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
        color_name: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
        color_hex: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
        image_url: r.get(14)?,
        sync: Vec::new(),
    })
}

/// A lot with the catalog cache's names for it (each found on its key).
const LOT_SQL: &str = "SELECT inventory.id, inventory.item_no, inventory.item_type, inventory.color_id, condition, location, quantity,
        reserved, unit_price_e4, currency, description, ci.name, cc.name, cc.hex, json_extract(ci.payload, '$.image_url')
    FROM inventory
    LEFT JOIN catalog_items ci ON ci.item_type = inventory.item_type AND ci.item_no = inventory.item_no
    LEFT JOIN catalog_colors cc ON cc.color_id = inventory.color_id";

pub fn list(c: &rusqlite::Connection) -> Result<Vec<InventoryLot>> {
    let mut st =
        c.prepare(&format!("{LOT_SQL} WHERE deleted_at IS NULL ORDER BY location, inventory.item_no, inventory.color_id, inventory.id"))?;
    let mut rows = st.query_map([], lot)?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut chips = crate::stock::outbox::lot_chips(c, None)?;
    for l in &mut rows {
        l.sync = chips.remove(&l.id).unwrap_or_default();
    }
    Ok(rows)
}

pub fn get(c: &rusqlite::Connection, id: i64) -> Result<InventoryLot> {
    get_many(c, &[id])?.pop().ok_or_else(|| Error::NotFound { what: "inventory lot".into(), id: id.to_string() })
}

/// The live lots of `ids`, in that order, with their chips (ids of deleted or unknown lots are
/// left out). Each is found on its key: the cost does not grow with the store.
pub fn get_many(c: &rusqlite::Connection, ids: &[i64]) -> Result<Vec<InventoryLot>> {
    let mut st = c.prepare_cached(&format!("{LOT_SQL} WHERE inventory.id = ?1 AND deleted_at IS NULL"))?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(l) = st.query_row([id], lot).optional()? {
            rows.push(l);
        }
    }
    let mut chips = crate::stock::outbox::lot_chips(c, Some(ids))?;
    for l in &mut rows {
        l.sync = chips.remove(&l.id).unwrap_or_default();
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use brickdesk_ipc::DecimalInput;

    fn input(json: &str) -> Result<NewLot> {
        NewLot::validate(serde_json::from_str::<InventoryAddInput>(json).expect("shape"))
    }

    #[tokio::test]
    async fn a_lot_carries_the_catalogs_names_once_they_are_cached() {
        let dir = tempfile::tempdir().unwrap();
        let s = crate::store::Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now: DateTime<Utc> = "2026-12-06T10:00:00Z".parse().unwrap();
        let lot = input(r#"{"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":10,"unit_price":"0.12"}"#).unwrap();
        let id = s.write(move |tx| add(tx, &lot, now)).await.unwrap();
        let bare = s.read(move |c| get(c, id)).await.unwrap();
        assert_eq!(
            (bare.item_name.as_str(), bare.color_name.as_str(), bare.color_hex.as_str(), bare.image_url.as_deref()),
            ("", "", "", None)
        );
        let json = serde_json::to_value(&bare).unwrap();
        assert!(json.get("item_name").is_none() && json.get("color_hex").is_none(), "unknown names stay out of JSON: {json}");
        s.write(|tx| {
            tx.execute_batch(
                r#"INSERT INTO catalog_items (item_type, item_no, name, payload, fetched_at)
                   VALUES ('PART', '3001', 'Brick 2 x 4', '{"image_url":"https://img.bricklink.com/ItemImage/PN/5/3001.png"}', '2026-12-06');
                   INSERT INTO catalog_colors (color_id, name, hex, fetched_at) VALUES (5, 'Red', 'C91A09', '2026-12-06');"#,
            )?;
            Ok(())
        })
        .await
        .unwrap();
        let named = s.read(move |c| get_many(c, &[id])).await.unwrap().remove(0);
        assert_eq!((named.item_name.as_str(), named.color_name.as_str(), named.color_hex.as_str()), ("Brick 2 x 4", "Red", "C91A09"));
        assert_eq!(named.image_url.as_deref(), Some("https://img.bricklink.com/ItemImage/PN/5/3001.png"));
        assert_eq!(s.read(list).await.unwrap()[0].item_name, "Brick 2 x 4");
    }

    #[test]
    fn validates_each_field() {
        let ok = input(
            r#"{"item_no":"3001","item_type":"part","color_id":5,"condition":"n","quantity":10,"unit_price":"0.12","location":" A-1 "}"#,
        )
        .unwrap();
        assert_eq!(
            (ok.item_type.as_str(), ok.condition, ok.unit_price, ok.location.as_str()),
            ("PART", Condition::New, MoneyE4(1200), "A-1")
        );
        let num = NewLot::validate(InventoryAddInput {
            item_no: "3001".into(),
            item_type: "PART".into(),
            color_id: 5,
            condition: "U".into(),
            quantity: 1,
            unit_price: DecimalInput::Number(serde_json::Number::from_f64(0.12).unwrap()),
            location: String::new(),
            description: String::new(),
            currency: None,
        })
        .unwrap();
        assert_eq!(num.unit_price, MoneyE4(1200));
        for (json, field) in [
            (r#"{"item_no":"","item_type":"PART","color_id":5,"condition":"N","quantity":1,"unit_price":"1"}"#, "item_no"),
            (r#"{"item_no":"3001","item_type":"BRICK","color_id":5,"condition":"N","quantity":1,"unit_price":"1"}"#, "item_type"),
            (r#"{"item_no":"3001","item_type":"PART","color_id":-1,"condition":"N","quantity":1,"unit_price":"1"}"#, "color_id"),
            (r#"{"item_no":"3001","item_type":"PART","color_id":5,"condition":"X","quantity":1,"unit_price":"1"}"#, "condition"),
            (r#"{"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":-3,"unit_price":"1"}"#, "quantity"),
            (r#"{"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":1,"unit_price":"1.23456"}"#, "unit_price"),
            (r#"{"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":1,"unit_price":"-1"}"#, "unit_price"),
        ] {
            let e = input(json).unwrap_err().to_string();
            assert!(e.contains(&format!("`{field}`")), "{json}: {e}");
        }
    }

    #[test]
    fn quantity_never_goes_below_what_open_orders_hold() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        drop(crate::store::Store::open(&path).unwrap());
        let mut c = rusqlite::Connection::open(&path).unwrap();
        let tx = c.transaction().unwrap();
        let now = chrono::Utc::now();
        let lot = input(r#"{"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":10,"unit_price":"1"}"#).unwrap();
        let id = add(&tx, &lot, now).unwrap();
        tx.execute("UPDATE inventory SET reserved = 3 WHERE id = ?1", [id]).unwrap();
        let to = |q: i64| InventoryUpdateInput { quantity: Some(q), ..Default::default() };
        let e = update(&tx, id, &to(2), now, "c1").unwrap_err().to_string();
        assert!(e.contains("`quantity`") && e.contains("3 are held"), "{e}");
        assert!(update(&tx, id, &to(3), now, "c2").unwrap(), "down to exactly what is held");
        let (q, r): (i64, i64) =
            tx.query_row("SELECT quantity, reserved FROM inventory WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!((q, r), (3, 3));
    }
}
