//! Allegro's JSON with the API's own (camelCase) field names (allegro.md §3). Money is
//! `{"amount":"9.99","currency":"PLN"}` with the amount as a string.

use serde::Deserialize;

use crate::base::money::MoneyE4;
use crate::marketplaces::lenient;

/// `GET /order/events`: each event is read on its own (a malformed one fails alone).
#[derive(Debug, Deserialize)]
pub struct EventsPageWire {
    pub events: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderEventWire {
    pub id: String,
    pub occurred_at: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub order: EventOrderWire,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventOrderWire {
    pub checkout_form: CheckoutFormRefWire,
}

#[derive(Debug, Deserialize)]
pub struct CheckoutFormRefWire {
    pub id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventStatsWire {
    #[serde(default)]
    pub latest_event: Option<LatestEventWire>,
}

#[derive(Debug, Deserialize)]
pub struct LatestEventWire {
    pub id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutFormsPageWire {
    pub checkout_forms: Vec<CheckoutFormWire>,
    #[serde(default)]
    pub total_count: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutFormWire {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub buyer: Option<BuyerWire>,
    #[serde(default)]
    pub fulfillment: Option<FulfillmentWire>,
    #[serde(default)]
    pub delivery: Option<DeliveryWire>,
    #[serde(default)]
    pub line_items: Vec<LineItemWire>,
    #[serde(default)]
    pub summary: Option<SummaryWire>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub revision: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuyerWire {
    #[serde(default)]
    pub login: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct FulfillmentWire {
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DeliveryWire {
    #[serde(default)]
    pub method: Option<DeliveryMethodWire>,
}

#[derive(Debug, Deserialize)]
pub struct DeliveryMethodWire {
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineItemWire {
    pub id: String,
    pub offer: OfferRefWire,
    #[serde(deserialize_with = "lenient::int")]
    pub quantity: i64,
    pub price: PriceWire,
    #[serde(default)]
    pub bought_at: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct OfferRefWire {
    #[serde(deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub external: Option<ExternalWire>,
}

/// The offer's signature, the seller's own id for it.
#[derive(Debug, Deserialize)]
pub struct ExternalWire {
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct PriceWire {
    #[serde(deserialize_with = "lenient::money")]
    pub amount: MoneyE4,
    pub currency: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryWire {
    pub total_to_pay: PriceWire,
}

/// `GET /sale/offer-events`: each event is read on its own (a malformed one fails alone).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferEventsPageWire {
    pub offer_events: Vec<serde_json::Value>,
}

/// One offer journal event (allegro.md §4): the offer's id and signature, no values.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferEventWire {
    pub id: String,
    pub occurred_at: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub offer: EventOfferWire,
}

#[derive(Debug, Deserialize)]
pub struct EventOfferWire {
    #[serde(deserialize_with = "lenient::text")]
    pub id: String,
}

/// `GET /sale/offers`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OffersPageWire {
    pub offers: Vec<OfferWire>,
    #[serde(default)]
    pub total_count: Option<i64>,
}

/// An offer, as `GET /sale/product-offers/{id}` and (flatter, same fields read) `GET /sale/offers`
/// return it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferWire {
    #[serde(deserialize_with = "lenient::text")]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub selling_mode: Option<SellingModeWire>,
    #[serde(default)]
    pub stock: Option<StockWire>,
    #[serde(default)]
    pub publication: Option<PublicationWire>,
    #[serde(default)]
    pub external: Option<ExternalWire>,
}

#[derive(Debug, Deserialize)]
pub struct SellingModeWire {
    #[serde(default)]
    pub price: Option<PriceWire>,
}

#[derive(Debug, Deserialize)]
pub struct StockWire {
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub available: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct PublicationWire {
    #[serde(default)]
    pub status: Option<String>,
}
