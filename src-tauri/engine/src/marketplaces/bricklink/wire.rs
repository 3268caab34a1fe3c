//! BrickLink's JSON, with the API's own field names (bricklink.md §3, §6).

use serde::Deserialize;

use crate::base::money::MoneyE4;
use crate::marketplaces::lenient;

#[derive(Debug, Deserialize)]
pub struct EnvelopeWire {
    pub meta: MetaWire,
    #[serde(default)]
    pub data: serde_json::Value,
}

#[derive(Debug, Deserialize)]
pub struct MetaWire {
    /// An integer in practice, a string in the docs.
    #[serde(deserialize_with = "lenient::int")]
    pub code: i64,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
pub struct NotificationWire {
    pub event_type: String,
    #[serde(deserialize_with = "lenient::text")]
    pub resource_id: String,
    pub timestamp: String,
}

#[derive(Debug, Deserialize)]
pub struct OrderWire {
    #[serde(deserialize_with = "lenient::text")]
    pub order_id: String,
    pub date_ordered: String,
    #[serde(default)]
    pub date_status_changed: Option<String>,
    #[serde(default)]
    pub buyer_name: String,
    pub status: String,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub total_count: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub unique_count: Option<i64>,
    pub cost: CostWire,
}

#[derive(Debug, Deserialize)]
pub struct CostWire {
    pub currency_code: String,
    #[serde(default, deserialize_with = "lenient::money_or_zero")]
    pub subtotal: MoneyE4,
    #[serde(deserialize_with = "lenient::money")]
    pub grand_total: MoneyE4,
}

/// `GET /orders` entries.
#[derive(Debug, Deserialize)]
pub struct OrderSummaryWire {
    #[serde(deserialize_with = "lenient::text")]
    pub order_id: String,
    pub date_ordered: String,
    #[serde(default)]
    pub date_status_changed: Option<String>,
    pub status: String,
}

#[derive(Debug, Deserialize)]
pub struct OrderItemWire {
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub inventory_id: Option<i64>,
    pub item: ItemRefWire,
    #[serde(deserialize_with = "lenient::int")]
    pub color_id: i64,
    #[serde(default)]
    pub color_name: String,
    #[serde(deserialize_with = "lenient::int")]
    pub quantity: i64,
    pub new_or_used: String,
    #[serde(deserialize_with = "lenient::money")]
    pub unit_price: MoneyE4,
    /// The lot's private remarks: sellers keep the bin/location here.
    #[serde(default)]
    pub remarks: String,
}

#[derive(Debug, Deserialize)]
pub struct ItemRefWire {
    /// Free-form: `3001`, `970c00`, `10030-1`, `sw0001a`.
    #[serde(deserialize_with = "lenient::text")]
    pub no: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type")]
    pub item_type: String,
}

/// `GET /inventories` entries (the fields BrickDesk keeps).
#[derive(Debug, Deserialize)]
pub struct InventoryWire {
    #[serde(deserialize_with = "lenient::int")]
    pub inventory_id: i64,
    pub item: ItemRefWire,
    #[serde(deserialize_with = "lenient::int")]
    pub color_id: i64,
    #[serde(deserialize_with = "lenient::int")]
    pub quantity: i64,
    pub new_or_used: String,
    #[serde(deserialize_with = "lenient::money")]
    pub unit_price: MoneyE4,
    #[serde(default)]
    pub remarks: String,
    #[serde(default)]
    pub description: String,
}

/// `GET /items/{type}/{no}`.
#[derive(Debug, Deserialize)]
pub struct ItemWire {
    #[serde(deserialize_with = "lenient::text")]
    pub no: String,
    pub name: String,
    #[serde(rename = "type")]
    pub item_type: String,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub category_id: Option<i64>,
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub weight: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub dim_x: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub dim_y: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub dim_z: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub year_released: Option<i64>,
}

/// One entry of `GET /items/{type}/{no}/colors` (numbers as strings in the docs, integers in practice).
#[derive(Debug, Deserialize)]
pub struct ItemColorWire {
    #[serde(deserialize_with = "lenient::int")]
    pub color_id: i64,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub quantity: Option<i64>,
}

/// One entry of `GET /colors`.
#[derive(Debug, Deserialize)]
pub struct ColorWire {
    #[serde(deserialize_with = "lenient::int")]
    pub color_id: i64,
    pub color_name: String,
    #[serde(default)]
    pub color_code: String,
    #[serde(default)]
    pub color_type: String,
}

/// `GET /items/{type}/{no}/price`.
#[derive(Debug, Deserialize)]
pub struct PriceGuideWire {
    pub new_or_used: String,
    pub currency_code: String,
    #[serde(deserialize_with = "lenient::money")]
    pub min_price: MoneyE4,
    #[serde(deserialize_with = "lenient::money")]
    pub max_price: MoneyE4,
    #[serde(deserialize_with = "lenient::money")]
    pub avg_price: MoneyE4,
    #[serde(deserialize_with = "lenient::money")]
    pub qty_avg_price: MoneyE4,
    #[serde(deserialize_with = "lenient::int")]
    pub unit_quantity: i64,
    #[serde(deserialize_with = "lenient::int")]
    pub total_quantity: i64,
}
