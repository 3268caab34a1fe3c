//! An Allegro checkout form (= an order) as the account holds it, with the JSON
//! `GET /order/checkout-forms/{id}` answers for it and the `order` part of its journal events,
//! and the shipments (waybills) the seller added to it. The endpoints, and the purchases and
//! changes that journal those events, are in `orders.rs` and `fulfillment.rs`.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::replies::ts;
use crate::money::fmt_fixed;

const SELLER_ID: &str = "43784832";

/// A checkout form (= an order).
#[derive(Clone, Debug)]
pub(crate) struct Form {
    pub id: String,
    pub status: String,
    pub fulfillment: String,
    pub(super) login: String,
    pub(super) lines: Vec<Value>,
    pub(super) delivery: String,
    pub(super) delivery_cost_e2: i64,
    pub(super) total_e2: i64,
    pub(super) revision: u32,
    pub(super) updated_at: DateTime<Utc>,
    pub(super) bought_at: DateTime<Utc>,
    /// Every shipment added, in order (`POST …/shipments` adds one each time, even the same waybill).
    pub(super) shipments: Vec<Shipment>,
}

/// One shipment of a form: a waybill (tracking number) with its carrier and the lines it carries.
#[derive(Clone, Debug)]
pub(crate) struct Shipment {
    pub(super) id: String,
    pub(super) carrier_id: String,
    /// Only with carrier `OTHER`; Allegro ignores a name sent with any other carrier, so it is
    /// not kept (answered as null).
    pub(super) carrier_name: Option<String>,
    pub(super) waybill: String,
    /// Line item ids of the form.
    pub(super) line_items: Vec<String>,
    pub(super) created_at: DateTime<Utc>,
}

impl Shipment {
    /// One entry of `GET …/shipments`, and the `201` answer of the `POST` that created it.
    pub(super) fn json(&self) -> Value {
        let lines: Vec<Value> = self.line_items.iter().map(|id| json!({"id": id})).collect();
        json!({"id": self.id, "carrierId": self.carrier_id, "carrierName": self.carrier_name, "waybill": self.waybill,
               "createdAt": ts(self.created_at), "lineItems": lines})
    }
}

impl Form {
    /// The opaque revision the form's JSON and events carry (it changes with every change).
    pub(super) fn revision(&self) -> String {
        format!("{:08x}", self.revision.wrapping_mul(2_654_435_761))
    }

    /// The form's line item ids, in order.
    pub(super) fn line_ids(&self) -> Vec<String> {
        self.lines.iter().filter_map(|l| l["id"].as_str().map(str::to_string)).collect()
    }

    /// `shipmentSummary.lineItemsSent`: how many lines a shipment carries (NONE, SOME, ALL); a
    /// form set `SENT` counts as ALL whatever its shipments, as it did before shipments existed.
    fn line_items_sent(&self) -> &'static str {
        let lines = self.line_ids();
        let sent = lines.iter().filter(|id| self.shipments.iter().any(|s| s.line_items.contains(id))).count();
        if self.fulfillment == "SENT" || (sent > 0 && sent == lines.len()) {
            "ALL"
        } else if sent > 0 {
            "SOME"
        } else {
            "NONE"
        }
    }

    fn buyer(&self) -> Value {
        json!({"id": "58212004", "email": format!("{}+3f0c@allegromail.example", self.login.to_ascii_lowercase()),
               "login": self.login, "guest": false})
    }

    pub(super) fn json(&self) -> Value {
        let pln = |e2: i64| json!({"amount": fmt_fixed(e2, 2), "currency": "PLN"});
        let mut buyer = self.buyer();
        if let Some(b) = buyer.as_object_mut() {
            b.insert("firstName".into(), json!("Anna"));
            b.insert("lastName".into(), json!(self.login.replace('_', " ")));
            b.insert("companyName".into(), Value::Null);
            b.insert("phoneNumber".into(), json!("+48 500 000 000"));
            b.insert(
                "address".into(),
                json!({"street": "ul. Przykladowa 1", "city": "Testowo", "postCode": "00-950", "countryCode": "PL"}),
            );
        }
        let paid = matches!(self.status.as_str(), "READY_FOR_PROCESSING");
        json!({
            "id": self.id,
            "messageToSeller": null,
            "buyer": buyer,
            "payment": if paid {
                json!({"id": format!("pay-{}", self.id), "type": "ONLINE", "provider": "P24", "finishedAt": ts(self.updated_at), "paidAmount": pln(self.total_e2)})
            } else { Value::Null },
            "status": self.status,
            "fulfillment": {"status": self.fulfillment, "shipmentSummary": {"lineItemsSent": self.line_items_sent()}},
            "delivery": {
                "address": {"firstName": "Anna", "lastName": "Przykladowa", "street": "ul. Przykladowa 1", "city": "Testowo",
                            "zipCode": "00-950", "countryCode": "PL", "companyName": null, "phoneNumber": "+48 500 000 000", "modifiedAt": null},
                "method": {"id": "2488f7b7-5d1c-4d65-b85c-4cbcf253fd93", "name": self.delivery},
                "cost": pln(self.delivery_cost_e2),
                "smart": false,
                "calculatedNumberOfPackages": 1
            },
            "invoice": {"required": false, "address": null, "dueDate": null, "features": []},
            "lineItems": self.lines,
            "surcharges": [],
            "discounts": [],
            "note": null,
            "marketplace": {"id": "allegro-pl"},
            "summary": {"totalToPay": pln(self.total_e2)},
            "updatedAt": ts(self.updated_at),
            "revision": self.revision(),
        })
    }

    /// The `order` part of a journal event about this form.
    pub(super) fn event_order(&self) -> Value {
        let lines: Vec<Value> = self
            .lines
            .iter()
            .map(|l| {
                json!({"id": l["id"], "offer": l["offer"], "quantity": l["quantity"], "originalPrice": l["originalPrice"],
                       "price": l["price"], "boughtAt": l["boughtAt"]})
            })
            .collect();
        json!({"seller": {"id": SELLER_ID}, "buyer": self.buyer(), "lineItems": lines,
               "checkoutForm": {"id": self.id, "revision": self.revision()}, "marketplace": {"id": "allegro-pl"}})
    }
}
