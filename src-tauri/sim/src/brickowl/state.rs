//! What the fake BrickOwl holds: store lots, orders with their items, the BOIDs it has learned,
//! and the rolling windows of the per-minute limits. Prices in thousandths.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Instant;

use crate::catalog::{self, ItemInfo};

const FIRST_LOT_ID: i64 = 2_726_951;
const FIRST_ORDER_ID: i64 = 3_506_239;
const FIRST_ORDER_ITEM_ID: i64 = 433_713;

/// One store lot. Prices in thousandths.
#[derive(Clone, Debug)]
pub(crate) struct BoLot {
    pub lot_id: i64,
    pub base: String,
    pub color: Option<i64>,
    pub bo_type: String,
    pub bl_no: Option<String>,
    pub name: String,
    pub con: String,
    pub qty: i64,
    pub price: i64,
    pub for_sale: bool,
    pub personal_note: String,
    pub public_note: String,
    pub external_id: Option<String>,
    pub sale_percent: i64,
    pub bulk_qty: i64,
    pub my_cost: i64,
    pub lot_weight: i64,
    pub tier_price: String,
}

#[derive(Clone, Debug)]
pub(crate) struct BoItem {
    pub order_item_id: i64,
    pub lot_id: i64,
    pub base: String,
    pub color: Option<i64>,
    pub bo_type: String,
    pub bl_no: String,
    pub name: String,
    pub con: String,
    pub qty: i64,
    pub price: i64,
    pub personal_note: String,
    pub public_note: String,
    pub bl_lot_id: Option<i64>,
    pub external_id: Option<String>,
    pub remaining: i64,
    pub weight_e3: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct BoOrder {
    pub id: i64,
    pub time: i64,
    pub updated: i64,
    pub status_id: u8,
    pub buyer_name: String,
    pub currency: String,
    pub ship_total_e2: i64,
    pub items: Vec<BoItem>,
    pub tracking: Option<String>,
    pub seller_note: Option<String>,
}

pub(crate) struct BoState {
    pub lots: BTreeMap<i64, BoLot>,
    pub orders: BTreeMap<i64, BoOrder>,
    next_lot: i64,
    pub(super) next_order: i64,
    pub(super) next_item: i64,
    /// Base BOID → (BrickLink type, BrickLink item no), learned from lookups and orders.
    pub(super) boids: HashMap<String, (String, String)>,
    pub(super) window: VecDeque<Instant>,
    /// `bulk/batch` requests of the rolling minute (their own limit, brickowl.md §2).
    pub(super) bulk_window: VecDeque<Instant>,
    /// The endpoint of every call carried out inside a `bulk/batch`, in order.
    pub batched: Vec<String>,
}

impl BoState {
    pub(crate) fn new() -> BoState {
        BoState {
            lots: BTreeMap::new(),
            orders: BTreeMap::new(),
            next_lot: FIRST_LOT_ID,
            next_order: FIRST_ORDER_ID,
            next_item: FIRST_ORDER_ITEM_ID,
            boids: HashMap::new(),
            window: VecDeque::new(),
            bulk_window: VecDeque::new(),
            batched: Vec::new(),
        }
    }

    pub(super) fn take_lot_id(&mut self) -> i64 {
        let id = self.next_lot;
        self.next_lot += 1;
        id
    }

    pub(super) fn register(&mut self, info: &ItemInfo) {
        self.boids.insert(info.boid.clone(), (info.kind.clone(), info.no.clone()));
    }

    /// The BrickLink item behind a base BOID, if known.
    pub(super) fn resolve(&self, base: &str) -> Option<ItemInfo> {
        catalog::known_by_boid(base).or_else(|| self.boids.get(base).map(|(kind, no)| catalog::item(kind, no)))
    }
}
