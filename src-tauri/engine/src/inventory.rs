//! Local inventory lots. Every change goes through the ledger (one row per change, in sequence)
//! in the same transaction as the change itself.

use brickdesk_ipc::{InventoryAddInput, InventoryLot};
use chrono::{DateTime, Utc};
use rusqlite::{params, Row, Transaction};

use crate::clock::format_ts;
use crate::error::{Error, Result};
use crate::marketplaces::types::Condition;
use crate::money::MoneyE4;

/// A validated lot to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLot {
    pub item_no: String,
    pub item_type: String,
    pub color_id: i64,
    pub condition: Condition,
    pub quantity: i64,
    pub unit_price: MoneyE4,
    pub currency: String,
    pub location: String,
    pub description: String,
}

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

/// Inserts the lot and its `create` ledger entry; returns the lot id.
pub fn add(tx: &Transaction<'_>, lot: &NewLot, now: DateTime<Utc>) -> Result<i64> {
    let now = format_ts(now);
    let id: i64 = tx.query_row(
        "INSERT INTO inventory (item_no, item_type, color_id, condition, location, quantity, unit_price_e4, currency, description, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id",
        params![lot.item_no, lot.item_type, lot.color_id, lot.condition.as_str(), lot.location, lot.quantity, lot.unit_price.0, lot.currency, lot.description, now],
        |r| r.get(0),
    )?;
    let detail = serde_json::json!({
        "item_no": lot.item_no, "item_type": lot.item_type, "color_id": lot.color_id, "condition": lot.condition.as_str(),
        "location": lot.location, "unit_price": lot.unit_price.to_string_with(4), "currency": lot.currency,
    });
    tx.execute(
        "INSERT INTO ledger (inventory_id, kind, quantity_delta, detail, created_at) VALUES (?1, 'create', ?2, ?3, ?4)",
        params![id, lot.quantity, detail.to_string(), now],
    )?;
    Ok(id)
}

/// Records that `id` is the marketplace lot `remote_id` (imported or pushed), already in sync.
pub fn link_remote(tx: &Transaction<'_>, id: i64, marketplace: &str, remote_id: &str, now: DateTime<Utc>) -> Result<()> {
    let seq: i64 = tx.query_row("SELECT max(seq) FROM ledger WHERE inventory_id = ?1", [id], |r| r.get(0))?;
    tx.execute(
        "INSERT INTO sync_state (inventory_id, marketplace, remote_id, status, synced_seq, updated_at) VALUES (?1, ?2, ?3, 'synced', ?4, ?5)
         ON CONFLICT (inventory_id, marketplace) DO UPDATE SET remote_id = excluded.remote_id, status = 'synced', synced_seq = excluded.synced_seq",
        params![id, marketplace, remote_id, seq, format_ts(now)],
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
    })
}

const LOT_SQL: &str =
    "SELECT id, item_no, item_type, color_id, condition, location, quantity, reserved, unit_price_e4, currency, description FROM inventory";

pub fn list(c: &rusqlite::Connection) -> Result<Vec<InventoryLot>> {
    let mut st = c.prepare(&format!("{LOT_SQL} WHERE deleted_at IS NULL ORDER BY location, item_no, color_id, id"))?;
    let rows = st.query_map([], lot)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get(c: &rusqlite::Connection, id: i64) -> Result<InventoryLot> {
    use rusqlite::OptionalExtension;
    c.query_row(&format!("{LOT_SQL} WHERE id = ?1 AND deleted_at IS NULL"), [id], lot)
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "inventory lot".into(), id: id.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use brickdesk_ipc::DecimalInput;

    fn input(json: &str) -> Result<NewLot> {
        NewLot::validate(serde_json::from_str::<InventoryAddInput>(json).expect("shape"))
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
}
