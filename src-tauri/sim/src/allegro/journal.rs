//! Allegro's journals, the order journal (`/order/events`, orders.rs) and the offer journal
//! (`/sale/offer-events`, offers.rs): event ids, `occurredAt`, and one page of `?from=&limit=&type=`
//! under the same rules for both (allegro.md §3, §4).

use chrono::DateTime;
use serde_json::{json, Value};

use super::replies::{errors, ts};
use crate::http::Reply;

/// One journal entry.
#[derive(Clone, Debug)]
pub(crate) struct Event {
    pub id: String,
    pub value: Value,
}

/// A journal (orders, offers): what it still keeps, and the newest event it ever had.
#[derive(Debug)]
pub(crate) struct Journal {
    pub events: Vec<Event>,
    next_seq: u64,
    latest: Option<(String, String)>,
    /// Every event id served so far, in order (tests check none is served twice).
    pub served: Vec<String>,
}

impl Journal {
    /// An empty journal whose first event id encodes `first_seq` (so two journals never share ids).
    pub(crate) fn starting_at(first_seq: u64) -> Journal {
        Journal { events: Vec::new(), next_seq: first_seq, latest: None, served: Vec::new() }
    }

    pub(crate) fn push(&mut self, mut value: Value, occurred_ms: i64) -> String {
        let seq = self.next_seq;
        self.next_seq += 1;
        let id = encode_b64(seq.to_string().as_bytes());
        let at = ts(DateTime::from_timestamp_millis(occurred_ms).unwrap_or_default());
        if let Some(o) = value.as_object_mut() {
            o.insert("id".into(), json!(id));
            o.entry("occurredAt").or_insert(json!(at));
        }
        let occurred = value.get("occurredAt").and_then(Value::as_str).unwrap_or(&at).to_string();
        self.latest = Some((id.clone(), occurred));
        self.events.push(Event { id: id.clone(), value });
        id
    }

    /// The newest event it ever had (id, `occurredAt`), kept or aged out.
    pub(crate) fn latest(&self) -> Option<&(String, String)> {
        self.latest.as_ref()
    }

    /// One page of `?from=&limit=&type=` (types repeatable, limit 1–1000, default 100), the
    /// same rules for both journals; `Err` is the refusal to send.
    pub(crate) fn page(&mut self, q: &[(String, String)]) -> Result<Vec<Value>, Reply> {
        let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let limit = match get("limit").map(str::parse::<usize>) {
            None => 100,
            Some(Ok(n)) if (1..=1000).contains(&n) => n,
            Some(_) => return Err(errors(422, "VALIDATION_ERROR", "limit must be between 1 and 1000", Some("limit"))),
        };
        let types: Vec<&str> = q.iter().filter(|(k, _)| k == "type").map(|(_, v)| v.as_str()).collect();
        let start = match get("from") {
            None => 0,
            Some(from) => match self.events.iter().position(|e| e.id == from) {
                Some(i) => i + 1,
                // The newest event (what event-stats names) is a valid start even once aged out:
                // nothing came after it.
                None if self.latest.as_ref().is_some_and(|(id, _)| id == from) => self.events.len(),
                // An id the journal no longer keeps (or never had): refused, so a client whose
                // cursor fell out of retention must bootstrap again rather than silently skip events.
                None => return Err(errors(400, "VALIDATION_ERROR", "Event with the given id does not exist", Some("from"))),
            },
        };
        let page: Vec<Event> = self.events[start..]
            .iter()
            .filter(|e| types.is_empty() || e.value.get("type").and_then(Value::as_str).is_some_and(|t| types.contains(&t)))
            .take(limit)
            .cloned()
            .collect();
        self.served.extend(page.iter().map(|e| e.id.clone()));
        Ok(page.into_iter().map(|e| e.value).collect())
    }
}

/// URL-safe base64 without padding: Allegro's event ids look like this (`MTEzMjQzODU3NA`).
fn encode_b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}
