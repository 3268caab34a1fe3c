//! Neutral types every marketplace client converts into (once, in its `convert.rs`).

use chrono::{DateTime, Utc};

use crate::base::money::MoneyE4;

/// New or used, as BrickLink spells it (`N`/`U`); the local inventory uses the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    New,
    Used,
}

impl Condition {
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::New => "N",
            Condition::Used => "U",
        }
    }

    pub fn parse(s: &str) -> Option<Condition> {
        match s.trim().to_ascii_uppercase().as_str() {
            "N" => Some(Condition::New),
            "U" => Some(Condition::Used),
            _ => None,
        }
    }
}

/// What a notification (or list entry) is about. Only orders are processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    Order,
    /// An Allegro offer journal event: processed by fetching the offer (`allegro/offer_journal.rs`).
    Offer,
    Message,
    Feedback,
    /// An event type BrickDesk does not know (stored, never processed, never blocks others).
    Unknown,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Order => "order",
            NotificationKind::Offer => "offer",
            NotificationKind::Message => "message",
            NotificationKind::Feedback => "feedback",
            NotificationKind::Unknown => "unknown",
        }
    }
}

/// One entry of an inbox feed, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteNotification {
    pub event_type: String,
    pub kind: NotificationKind,
    pub resource_id: String,
    /// As the marketplace sent it, normalised to RFC 3339 UTC when it parses.
    pub timestamp: String,
    /// The raw entry, stored verbatim.
    pub raw: String,
    /// Set when the entry itself is malformed: stored as failed with this error.
    pub malformed: Option<String>,
    /// The marketplace's own id of the event, when it gives one (Allegro's journals).
    pub event_id: Option<String>,
}

/// An order header from a list endpoint: enough to tell whether it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteOrderRef {
    pub external_id: String,
    pub status: String,
    /// Changes whenever the order does (BrickLink `date_status_changed`, BrickOwl status id).
    pub marker: String,
    pub date_ordered: DateTime<Utc>,
}

/// Where an order is in its life, as far as stock goes. Each marketplace maps its own statuses;
/// an unknown status counts as open (keeping stock reserved is the safe mistake).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderPhase {
    /// Still to be picked and shipped: its lines hold reservations.
    Open,
    /// Shipped or received: the pieces left the shelf.
    Fulfilled,
    /// Cancelled or purged: reservations are released.
    Cancelled,
}

/// A full order, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteOrder {
    pub external_id: String,
    pub status: String,
    pub phase: OrderPhase,
    pub buyer_name: String,
    pub date_ordered: DateTime<Utc>,
    pub date_status_changed: Option<DateTime<Utc>>,
    pub currency: String,
    pub subtotal: MoneyE4,
    pub grand_total: MoneyE4,
    pub total_count: i64,
    pub unique_count: i64,
    /// The order JSON as fetched.
    pub raw: String,
    /// How the buyer chose to get it (Allegro's delivery method), when the marketplace says.
    pub delivery_method: Option<String>,
    pub lines: Vec<RemoteLine>,
}

/// One order line, in BrickLink's vocabulary (item number, colour id, N/U).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteLine {
    /// Stable identity of the line within the order.
    pub line_key: String,
    pub batch: i64,
    pub item_no: String,
    pub item_type: String,
    pub item_name: String,
    /// BrickLink colour id; `None` when it could not be mapped (the line stays unmatched).
    pub color_id: Option<i64>,
    pub color_name: String,
    pub condition: Condition,
    pub quantity: i64,
    pub unit_price: MoneyE4,
    /// Where the seller keeps it, if the marketplace lot says (BrickLink remarks, BrickOwl personal note).
    pub location: Option<String>,
    /// Hints that name a lot directly, strongest first.
    pub lot_hints: Vec<LotHint>,
}

/// One Allegro offer as the marketplace states it (allegro.md §4). Values Allegro did not send
/// stay `None` rather than guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteOffer {
    pub offer_id: String,
    pub name: String,
    pub price: Option<crate::base::money::MoneyE4>,
    pub currency: Option<String>,
    pub stock_available: Option<i64>,
    /// `publication.status` (ACTIVE, ENDED, …), "UNKNOWN" when absent.
    pub status: String,
    /// The seller's signature (`external.id`), trimmed; None when absent or empty.
    pub external_id: Option<String>,
}

/// A direct reference from an order line to a lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LotHint {
    /// BrickDesk's own lot id (BrickOwl `external_id` written as `bd-<id>`).
    Local(i64),
    /// A BrickLink lot id (`inventory_id`, BrickOwl `bl_lot_id`).
    BricklinkLot(String),
    /// A BrickOwl lot id.
    BrickowlLot(String),
    /// An Allegro offer id: the lot the seller linked the offer to, or that sync lists it for.
    AllegroOffer(String),
}

/// Parses a marketplace timestamp (RFC 3339 with or without fraction) into UTC.
/// A timestamp without a zone (`2026-11-23T10:00:00`) is taken as UTC, as the APIs document.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .or_else(|| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|t| t.and_utc()))
}

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
