//! What the fake BrickLink holds: inventory lots, orders with their batches, notifications, and
//! the replay and budget records authentication keeps. Money is in ten-thousandths.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::Instant;

use serde_json::Value;

const FIRST_LOT_ID: i64 = 38_000_001;
const FIRST_ORDER_ID: i64 = 21_000_001;

/// One inventory lot. Money is in ten-thousandths.
#[derive(Clone, Debug)]
pub(crate) struct Lot {
    pub inventory_id: i64,
    pub item_no: String,
    pub item_type: String,
    pub color_id: i64,
    pub quantity: i64,
    pub new_or_used: char,
    pub completeness: Option<char>,
    pub unit_price: i64,
    pub description: String,
    pub remarks: String,
    pub bulk: i64,
    pub is_retain: bool,
    pub is_stock_room: bool,
    pub stock_room_id: Option<char>,
    pub date_created_ms: i64,
    pub my_cost: i64,
    pub sale_rate: i64,
    pub tiers: [(i64, i64); 3],
}

/// One order line (money in ten-thousandths).
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub inventory_id: i64,
    pub item_no: String,
    pub item_type: String,
    pub color_id: i64,
    pub quantity: i64,
    pub new_or_used: char,
    pub completeness: char,
    pub unit_price: i64,
    pub remarks: String,
    pub description: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Order {
    pub id: i64,
    pub date_ordered_ms: i64,
    pub date_status_changed_ms: i64,
    pub buyer_name: String,
    pub buyer_email: String,
    pub currency: String,
    pub status: String,
    pub is_filed: bool,
    pub remarks: String,
    pub payment_status: String,
    pub date_paid_ms: Option<i64>,
    pub tracking_no: String,
    pub tracking_link: String,
    pub date_shipped_ms: Option<i64>,
    /// Drive Thru e-mails sent for the order (`POST /orders/{id}/drive_thru`); `drive_thru_sent`
    /// is true once there is one. Counted, not flagged, so a test sees a client that sends twice.
    pub drive_thru_sends: usize,
    pub shipping: i64,
    pub insurance: i64,
    pub credit: i64,
    pub etc1: i64,
    pub etc2: i64,
    pub batches: Vec<Vec<Line>>,
}

pub(crate) struct BlState {
    pub lots: BTreeMap<i64, Lot>,
    pub orders: BTreeMap<i64, Order>,
    pub notifications: Vec<Value>,
    next_lot: i64,
    pub(super) next_order: i64,
    pub(super) used_timestamps: HashSet<u64>,
    pub(super) used_nonces: HashMap<String, u64>,
    pub(super) budget: VecDeque<Instant>,
    /// Catalog names changed by a test ((type, number) → name): the catalog moved on.
    pub item_names: HashMap<(String, String), String>,
}

impl BlState {
    pub(crate) fn new() -> BlState {
        BlState {
            lots: BTreeMap::new(),
            orders: BTreeMap::new(),
            notifications: Vec::new(),
            next_lot: FIRST_LOT_ID,
            next_order: FIRST_ORDER_ID,
            used_timestamps: HashSet::new(),
            used_nonces: HashMap::new(),
            budget: VecDeque::new(),
            item_names: HashMap::new(),
        }
    }

    pub(super) fn take_lot_id(&mut self) -> i64 {
        let id = self.next_lot;
        self.next_lot += 1;
        id
    }
}
