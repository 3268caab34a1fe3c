//! A large seller's store written straight into SQLite, for tests that look at the window at scale:
//! no marketplace, no engine call per row. The file is opened once with the engine's `Store` (so
//! every migration runs), then filled in one transaction with prepared statements, keeping the
//! schema's NOT NULL and CHECK constraints and a `create` ledger entry per lot (the ledger is the
//! truth `doctor` checks quantities against). Orders carry lines that match no lot (nothing is
//! reserved), so no ledger entry is needed for them.

use std::path::Path;

/// What the seeded store holds, for the test's expectations.
pub struct Seeded {
    pub lots: i64,
    pub orders: i64,
    /// Every lot's item number.
    pub item_nos: Vec<String>,
    /// The lot the window lists last in its default order (location, case-insensitive, then id).
    pub last_by_location: i64,
    /// The newest order's marketplace number (the window lists it first).
    pub newest_order: String,
}

impl Seeded {
    /// How many lots an item-number prefix filter matches (case-insensitive; the seeded catalog is
    /// empty, so no name matches).
    pub fn lots_with_item_prefix(&self, prefix: &str) -> i64 {
        let p = prefix.to_lowercase();
        self.item_nos.iter().filter(|n| n.to_lowercase().starts_with(&p)).count() as i64
    }
}

/// The bin of lot number `n` (0-based): 25 aisles of 40 shelves of 100 drawers, spread so that
/// neighbouring ids are far apart in location order.
fn bin(n: usize) -> String {
    let aisle = (b'A' + ((n * 7) % 25) as u8) as char;
    format!("{aisle}-{:02}-{:02}", (n / 25) % 40, (n / 1000) % 100)
}

/// Fills the store at `db` (created and migrated if missing) with `lots` lots and `orders` orders
/// of two lines each, ordered one every 52 minutes from 2025-01-01.
pub async fn seed(db: &Path, lots: usize, orders: usize) -> Seeded {
    let store = brickdesk_engine::store::Store::open(db).expect("open the store (migrations)");
    let item_nos: Vec<String> = (0..lots).map(|n| format!("{}", 3000 + (n * 13) % 5000)).collect();
    let bins: Vec<String> = (0..lots).map(bin).collect();
    let rows = (item_nos.clone(), bins);
    let ids = store
        .write(move |tx| {
            let (item_nos, bins) = rows;
            let now = "2026-01-01T00:00:00.000Z";
            let mut lot = tx.prepare(
                "INSERT INTO inventory (item_no, item_type, color_id, condition, location, quantity, unit_price_e4, currency,
                                        description, created_at, updated_at)
                 VALUES (?1, 'PART', ?2, ?3, ?4, ?5, ?6, 'USD', '', ?7, ?7)",
            )?;
            let mut ledger = tx
                .prepare("INSERT INTO ledger (inventory_id, kind, quantity_delta, detail, created_at) VALUES (?1, 'create', ?2, ?3, ?4)")?;
            let mut ids = Vec::with_capacity(item_nos.len());
            for (n, (item_no, bin)) in item_nos.iter().zip(&bins).enumerate() {
                let color = (n % 90) as i64;
                let condition = if n % 3 == 0 { "U" } else { "N" };
                let quantity = (n % 200) as i64 + 1;
                let price_e4 = ((n % 997) as i64 + 1) * 100;
                lot.execute((item_no, color, condition, bin, quantity, price_e4, now))?;
                let id = tx.last_insert_rowid();
                let detail = serde_json::json!({
                    "item_no": item_no, "item_type": "PART", "color_id": color, "condition": condition,
                    "location": bin, "unit_price": format!("{}.{:04}", price_e4 / 10_000, price_e4 % 10_000), "currency": "USD",
                });
                ledger.execute((id, quantity, detail.to_string(), now))?;
                ids.push(id);
            }

            let mut order = tx.prepare(
                "INSERT INTO orders (marketplace, account, external_id, status, buyer_name, date_ordered, currency, subtotal_e4,
                                     grand_total_e4, total_count, unique_count, is_new, raw, first_seen_at, updated_at, phase)
                 VALUES (?1, 'seed', ?2, ?3, ?4, ?5, 'USD', ?6, ?6, 4, 2, 0, '{}', ?5, ?5, ?7)",
            )?;
            let mut line = tx.prepare(
                "INSERT INTO order_items (order_id, line_key, item_no, item_type, color_id, condition, quantity, unit_price_e4)
                 VALUES (?1, ?2, ?3, 'PART', ?4, 'N', 2, 1200)",
            )?;
            let start = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").expect("date").timestamp();
            let statuses = ["PENDING", "PAID", "PACKED", "SHIPPED", "RECEIVED", "COMPLETED"];
            for n in 0..orders {
                let market = if n % 4 == 0 { "brickowl" } else { "bricklink" };
                let at = chrono::DateTime::from_timestamp(start + (n as i64) * 3_120, 0).expect("date");
                let status = statuses[n % statuses.len()];
                let phase = if matches!(status, "SHIPPED" | "RECEIVED" | "COMPLETED") { "fulfilled" } else { "open" };
                order.execute((
                    market,
                    format!("{}", 21_000_000 + n),
                    status,
                    format!("buyer{:05}", (n * 7919) % 9_000),
                    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
                    ((n % 500) as i64 + 1) * 10_000,
                    phase,
                ))?;
                let id = tx.last_insert_rowid();
                for l in 0..2 {
                    // Items no lot holds (the lots' run 3000..7999): the lines wait, nothing is reserved.
                    line.execute((id, format!("{l}"), format!("9{}", (n + l) % 1000), ((n + l) % 50) as i64 + 1))?;
                }
            }
            Ok(ids)
        })
        .await
        .expect("seed the store");
    drop(store);
    let last_by_location =
        ids.iter().enumerate().map(|(n, id)| (bin(n).to_lowercase(), *id)).max().map(|(_, id)| id).expect("at least one lot");
    Seeded {
        lots: lots as i64,
        orders: orders as i64,
        item_nos,
        last_by_location,
        newest_order: format!("{}", 21_000_000 + orders.saturating_sub(1)),
    }
}
