//! An Allegro checkout form (= an order) as the account holds it, with the JSON
//! `GET /order/checkout-forms/{id}` answers for it and the `order` part of its journal events.
//! The endpoints, and the purchases and changes that journal those events, are in `orders.rs`.

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
}

impl Form {
    fn revision(&self) -> String {
        format!("{:08x}", self.revision.wrapping_mul(2_654_435_761))
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
            "fulfillment": {"status": self.fulfillment, "shipmentSummary": {"lineItemsSent": if self.fulfillment == "SENT" { "ALL" } else { "NONE" }}},
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
