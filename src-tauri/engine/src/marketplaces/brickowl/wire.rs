//! BrickOwl's JSON, with the API's own field names (brickowl.md). Almost every scalar is a
//! string; `external_lot_ids` is `[]` when empty and an object when set.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::base::money::MoneyE4;
use crate::marketplaces::lenient;

#[derive(Debug, Deserialize)]
pub struct OrderListEntryWire {
    #[serde(deserialize_with = "lenient::text")]
    pub order_id: String,
    #[serde(deserialize_with = "lenient::int")]
    pub order_date: i64,
    #[serde(default)]
    pub status: String,
    #[serde(deserialize_with = "lenient::text")]
    pub status_id: String,
}

#[derive(Debug, Deserialize)]
pub struct OrderViewWire {
    #[serde(deserialize_with = "lenient::text")]
    pub order_id: String,
    #[serde(deserialize_with = "lenient::int")]
    pub order_time: i64,
    #[serde(default)]
    pub status: String,
    #[serde(deserialize_with = "lenient::text")]
    pub status_id: String,
    #[serde(default)]
    pub buyer_name: String,
    pub base_currency: String,
    #[serde(deserialize_with = "lenient::money")]
    pub base_order_total: MoneyE4,
    #[serde(default, deserialize_with = "lenient::money_or_zero")]
    pub sub_total: MoneyE4,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub total_quantity: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub total_lots: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct OrderItemWire {
    #[serde(deserialize_with = "lenient::text")]
    pub order_item_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub lot_id: String,
    pub boid: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default)]
    pub item_type: String,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub color_id: Option<i64>,
    #[serde(default)]
    pub color_name: String,
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub full_con: Option<String>,
    #[serde(deserialize_with = "lenient::int")]
    pub ordered_quantity: i64,
    #[serde(deserialize_with = "lenient::money")]
    pub base_price: MoneyE4,
    #[serde(default)]
    pub personal_note: Option<String>,
    #[serde(default)]
    pub bl_lot_id: Option<String>,
    #[serde(default)]
    pub external_lot_ids: ExternalLotIds,
    #[serde(default)]
    pub ids: Vec<CrossRefWire>,
}

/// `[]` (PHP's empty map) or `{"other": "…"}`.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
pub enum ExternalLotIds {
    Map(BTreeMap<String, serde_json::Value>),
    List(Vec<serde_json::Value>),
    #[default]
    None,
}

impl ExternalLotIds {
    pub fn values(&self) -> Vec<String> {
        match self {
            ExternalLotIds::Map(m) => m.values().map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect(),
            ExternalLotIds::List(_) | ExternalLotIds::None => Vec::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CrossRefWire {
    #[serde(deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(rename = "type")]
    pub id_type: String,
}

/// `catalog/color_list` values (keyed by BrickOwl colour id).
#[derive(Debug, Deserialize)]
pub struct ColorWire {
    #[serde(deserialize_with = "lenient::int")]
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub bl_ids: Vec<serde_json::Value>,
}

/// One lot of `inventory/list` (brickowl.md §4). The colour is only the BOID's suffix.
#[derive(Debug, Deserialize)]
pub struct InventoryLotWire {
    #[serde(deserialize_with = "lenient::text")]
    pub lot_id: String,
    #[serde(deserialize_with = "lenient::text")]
    pub boid: String,
    #[serde(rename = "type", default)]
    pub item_type: String,
    #[serde(default)]
    pub con: String,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub full_con: Option<String>,
    #[serde(deserialize_with = "lenient::int")]
    pub qty: i64,
    #[serde(default, deserialize_with = "lenient::money_or_zero")]
    pub price: MoneyE4,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub personal_note: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub public_note: Option<String>,
    #[serde(default)]
    pub external_lot_ids: ExternalLotIds,
    #[serde(default)]
    pub ids: Vec<CrossRefWire>,
}
