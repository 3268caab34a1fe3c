//! An Allegro offer as the seller's account holds it, with the JSON `GET /sale/product-offers/{id}`
//! and `GET /sale/offers` answer for it, and `Offers`: every offer, the offer journal and the stock
//! PATCHes carried out. The endpoints and the changes that journal events are in `offers.rs`.

use chrono::DateTime;
use serde_json::{json, Value};

use super::journal::Journal;
use super::replies::ts;
use crate::money::fmt_fixed;

/// Where the offer journal's sequence starts (the fixture's ids decode to numbers like it).
pub(crate) const FIRST_SEQ: u64 = 1_698_652_001_000_001;
/// Where generated offer ids start (numeric, like Allegro's).
const FIRST_OFFER_ID: u64 = 14_682_205_831;

/// One offer as the seller's account holds it.
#[derive(Clone, Debug)]
pub(crate) struct Offer {
    pub id: String,
    pub(super) name: String,
    pub(super) price_e2: i64,
    pub(super) currency: String,
    pub stock: i64,
    pub status: String,
    pub(super) external: Option<String>,
    pub(super) ended_by: Option<String>,
    pub(super) updated_at: i64,
}

impl Offer {
    pub(super) fn external_json(&self) -> Value {
        self.external.as_ref().map_or(Value::Null, |e| json!({"id": e}))
    }

    fn price(&self) -> Value {
        json!({"amount": fmt_fixed(self.price_e2, 2), "currency": self.currency})
    }

    fn publication(&self) -> Value {
        json!({"status": self.status, "endedBy": self.ended_by, "startingAt": null,
               "endingAt": null, "republish": false})
    }

    /// `GET /sale/product-offers/{id}` (the fields BrickDesk reads, in their real places).
    pub(crate) fn json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "productSet": [],
            "sellingMode": {"format": "BUY_NOW", "price": self.price()},
            "stock": {"available": self.stock, "unit": "UNIT"},
            "publication": self.publication(),
            "external": self.external_json(),
            "language": "pl-PL",
            "updatedAt": ts(DateTime::from_timestamp_millis(self.updated_at).unwrap_or_default()),
        })
    }

    /// One entry of `GET /sale/offers` (its own, flatter shape: `stock.sold`, no `productSet`).
    pub(super) fn list_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "category": {"id": "19606"},
            "primaryImage": null,
            "sellingMode": {"format": "BUY_NOW", "price": self.price(), "priceAutomation": null},
            "saleInfo": {"currentPrice": null, "biddersCount": null},
            "stock": {"available": self.stock, "sold": 0},
            "stats": {"watchersCount": 0, "visitsCount": 0},
            "publication": {"status": self.status, "startedAt": null, "endingAt": null, "endedBy": self.ended_by},
            "external": self.external_json(),
        })
    }

    /// Allegro journals changes of live offers only.
    pub(super) fn journals(&self) -> bool {
        matches!(self.status.as_str(), "ACTIVE" | "ACTIVATING")
    }
}

/// Offers in creation order, the journal, and every stock PATCH carried out.
#[derive(Debug)]
pub(crate) struct Offers {
    pub offers: Vec<Offer>,
    pub journal: Journal,
    /// (offer id, stock.available) of every PATCH that set a stock, in order.
    pub patches: Vec<(String, i64)>,
    pub(super) next_id: u64,
}

impl Default for Offers {
    fn default() -> Offers {
        Offers { offers: Vec::new(), journal: Journal::starting_at(FIRST_SEQ), patches: Vec::new(), next_id: FIRST_OFFER_ID }
    }
}

impl Offers {
    pub(super) fn get_mut(&mut self, id: &str) -> Option<&mut Offer> {
        self.offers.iter_mut().find(|o| o.id == id)
    }
}
