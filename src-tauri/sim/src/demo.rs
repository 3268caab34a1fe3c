//! The app's embedded "Demo store": a seeded simulator plus a generator that keeps orders coming.

use std::sync::Arc;
use std::time::Duration;

use rand::seq::IndexedRandom;
use rand::Rng;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use crate::money::fmt_fixed;
use crate::{Market, Sim, SimItem, SimOptions, SimOrder};

/// Made-up buyers. One name carries markup and quotes so UIs prove they escape buyer text.
const BUYERS: &[&str] = &[
    "brick_fan_77",
    "Maria Kowalska",
    "<b>Anna & \"Bob\"</b>",
    "Jürgen Müller",
    "mocbuilder_nl",
    "O'Connor Toys",
    "sam.plebrick",
    "Zoë Lindqvist",
];

const SHIPPING: &[&str] = &["2.5000", "3.9500", "4.2000", "6.8000"];

/// (item no, type, BrickLink colour, condition, quantity, unit price, bin)
const SEED: &[(&str, &str, i64, char, i64, &str, &str)] = &[
    ("3001", "PART", 11, 'N', 250, "0.1200", "A-01-01"),
    ("3001", "PART", 5, 'N', 180, "0.1100", "A-01-02"),
    ("3001", "PART", 1, 'U', 95, "0.0800", "A-01-03"),
    ("3001", "PART", 86, 'N', 120, "0.1300", "A-01-04"),
    ("3003", "PART", 11, 'N', 300, "0.0700", "A-02-01"),
    ("3003", "PART", 3, 'N', 140, "0.0750", "A-02-02"),
    ("3020", "PART", 85, 'N', 160, "0.0900", "A-03-01"),
    ("3020", "PART", 7, 'U', 75, "0.0650", "A-03-02"),
    ("3710", "PART", 86, 'N', 400, "0.0400", "B-01-01"),
    ("3710", "PART", 1, 'N', 220, "0.0450", "B-01-02"),
    ("sw0001a", "MINIFIG", 0, 'U', 3, "6.5000", "MF-01-01"),
    ("10030-1", "SET", 0, 'U', 1, "1249.9900", "SHELF-01-01"),
];

/// How many of the seeded BrickLink lots are already mirrored on BrickOwl (external id = the
/// BrickLink inventory id); the rest are left for the app's sync to create.
const MIRRORED_ON_BRICKOWL: usize = 9;

/// Starts a simulator with the default (demo) credentials, ~12 lots and three open orders.
pub async fn start_demo() -> std::io::Result<Sim> {
    let sim = Sim::start(SimOptions::default()).await?;
    seed(&sim);
    Ok(sim)
}

fn seed(sim: &Sim) {
    let lots: Vec<(i64, SimItem)> = SEED
        .iter()
        .map(|(no, kind, color, cond, qty, price, bin)| {
            let item = SimItem {
                item_no: (*no).to_string(),
                item_type: (*kind).to_string(),
                color_id: *color,
                condition: *cond,
                quantity: *qty,
                unit_price: (*price).to_string(),
                remarks: (*bin).to_string(),
                inventory_id: None,
            };
            (sim.bricklink_add_lot(item.clone()), item)
        })
        .collect();
    for (id, item) in lots.iter().take(MIRRORED_ON_BRICKOWL) {
        sim.brickowl_add_lot(item.clone(), Some(&id.to_string()));
    }
    let line = |i: usize, quantity: i64| {
        let (id, item) = &lots[i];
        SimItem { quantity, inventory_id: Some(*id), ..item.clone() }
    };
    sim.bricklink_add_order(SimOrder {
        buyer_name: BUYERS[0].to_string(),
        currency: "USD".to_string(),
        shipping: "3.9500".to_string(),
        status: "PAID".to_string(),
        batches: vec![vec![line(0, 12), line(8, 30)]],
    });
    sim.bricklink_add_order(SimOrder {
        buyer_name: BUYERS[2].to_string(),
        currency: "USD".to_string(),
        shipping: "2.5000".to_string(),
        status: "PENDING".to_string(),
        batches: vec![vec![line(5, 8)], vec![line(10, 1), line(6, 10)]],
    });
    sim.brickowl_add_order(SimOrder {
        buyer_name: BUYERS[1].to_string(),
        currency: "USD".to_string(),
        shipping: "2.5000".to_string(),
        status: "PAID".to_string(),
        // Only lots BrickOwl lists: a store sells nothing it does not have.
        batches: vec![vec![line(1, 20), line(3, 16)]],
    });
}

/// Every `every` (first one after `every`), creates a small random order from lots with stock
/// left, alternating BrickLink and BrickOwl. Abort the handle to stop it.
pub fn spawn_order_generator(sim: Arc<Sim>, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let every = every.max(Duration::from_millis(1));
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut market = Market::Bricklink;
        loop {
            ticker.tick().await;
            match generate_order(&sim, market) {
                Some(id) => tracing::info!(?market, order_id = %id, "demo store: new order"),
                None => tracing::debug!("demo store: no stock left for a new order"),
            }
            market = match market {
                Market::Bricklink => Market::Brickowl,
                // The demo store has no Allegro account.
                Market::Brickowl | Market::Allegro => Market::Bricklink,
            };
        }
    })
}

/// Creates one random order on `market`; `None` when no lot has stock left.
pub(crate) fn generate_order(sim: &Sim, market: Market) -> Option<String> {
    let order = random_order(sim)?;
    Some(match market {
        Market::Bricklink => sim.bricklink_add_order(order).to_string(),
        Market::Brickowl => sim.brickowl_add_order(order),
        Market::Allegro => return None,
    })
}

fn random_order(sim: &Sim) -> Option<SimOrder> {
    let stock: Vec<SimItem> = sim.with_state(|st| {
        st.bl
            .lots
            .values()
            .filter(|l| l.quantity > 0 && !l.is_stock_room)
            .map(|l| SimItem {
                item_no: l.item_no.clone(),
                item_type: l.item_type.clone(),
                color_id: l.color_id,
                condition: l.new_or_used,
                quantity: l.quantity,
                unit_price: fmt_fixed(l.unit_price, 4),
                remarks: l.remarks.clone(),
                inventory_id: Some(l.inventory_id),
            })
            .collect()
    });
    if stock.is_empty() {
        return None;
    }
    let mut rng = rand::rng();
    let count = rng.random_range(1..=stock.len().min(4));
    let chosen: Vec<&SimItem> = stock.choose_multiple(&mut rng, count).collect();
    let mut lines: Vec<SimItem> = chosen
        .into_iter()
        .map(|lot| {
            let most = lot.quantity.min(if lot.item_type == "PART" { 25 } else { 1 }).max(1);
            SimItem { quantity: rng.random_range(1..=most), ..lot.clone() }
        })
        .collect();
    let batches = if lines.len() > 2 && rng.random_bool(0.3) {
        let second = lines.split_off(lines.len() / 2);
        vec![lines, second]
    } else {
        vec![lines]
    };
    Some(SimOrder {
        buyer_name: BUYERS.choose(&mut rng).copied().unwrap_or("brick_fan_77").to_string(),
        currency: "USD".to_string(),
        shipping: SHIPPING.choose(&mut rng).copied().unwrap_or("2.5000").to_string(),
        status: "PENDING".to_string(),
        batches,
    })
}
