//! Sales racing on two stores, seeded and randomised: BrickLink and BrickOwl sell on their own
//! between polls, the seller edits lots, answers get lost, `sync run` is killed mid-call, and
//! BrickDesk polls one store or pushes at random moments. Once everything is polled and the queue is empty, each store must
//! hold every lot's available quantity (ARCHITECTURE.md, the stock invariant). A failure prints
//! the seed and the timeline of the lot that is off; `BRICKDESK_RACE_SEED` replays one seed,
//! `BRICKDESK_RACE_SEEDS` and `BRICKDESK_RACE_STEPS` run longer (README, Reliability).

use brickdesk_sim::{Fault, Market, Sim, SimOptions, SimOrder};
use brickdesk_tests::{sim_part as item, TestEnv};
use serde_json::{json, Value};

/// The lots both stores list: item, BrickLink colour, quantity.
const LOTS: [(&str, i64, i64); 4] = [("3001", 5, 40), ("3003", 11, 40), ("3004", 1, 40), ("3020", 85, 40)];

/// How long the stores take over a call a killed `sync run` made, and how long BrickDesk waits
/// before reading back a lot whose delta got no answer.
const KILL_SLOW: std::time::Duration = std::time::Duration::from_millis(400);
const SETTLE: std::time::Duration = std::time::Duration::from_millis(1000);

/// A small deterministic generator (xorshift64*): the same seed, the same run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Both stores hold the four lots, imported and linked: (BrickLink lot ids, BrickOwl lot ids).
async fn setup(label: &str) -> (Sim, TestEnv, Vec<i64>, Vec<String>) {
    let sim = Sim::start(SimOptions::default()).await.expect("start simulator");
    let mut bl = Vec::new();
    let mut bo = Vec::new();
    for (no, color, qty) in LOTS {
        let lot = item(no, color, 'N', qty, "0.1200", "A-01", None);
        bl.push(sim.bricklink_add_lot(lot.clone()));
        bo.push(sim.brickowl_add_lot(lot, None));
    }
    let mut env = TestEnv::new(label);
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    // A killed `sync run`'s call lands up to `KILL_SLOW` later: a read-back waits longer.
    env.extra.push(("BRICKDESK_SYNC_SETTLE_MS", SETTLE.as_millis().to_string()));
    env.set_bricklink_credentials(&sim).await;
    env.json(&["credentials", "set", "brickowl", "--json"], &json!({"api_key": sim.options().brickowl_api_key}).to_string()).await;
    let imported = env.json(&["inventory", "import", "bricklink", "--json"], "").await;
    assert_eq!(imported, json!({"new": 4, "linked": 0, "conflicting": 0, "unchanged": 0}));
    let imported = env.json(&["inventory", "import", "brickowl", "--json"], "").await;
    assert_eq!(imported, json!({"new": 0, "linked": 4, "conflicting": 0, "unchanged": 0}), "every lot is on both stores");
    (sim, env, bl, bo)
}

fn order(buyer: &str, no: &str, color: i64, qty: i64, bl_lot: Option<i64>) -> SimOrder {
    SimOrder {
        buyer_name: buyer.into(),
        currency: "USD".into(),
        shipping: "1.0000".into(),
        status: "PAID".into(),
        batches: vec![vec![item(no, color, 'N', qty, "0.1200", "A-01", bl_lot)]],
    }
}

fn bl_quantity(sim: &Sim, lot: i64) -> i64 {
    sim.bricklink_lot(lot).and_then(|l| l["quantity"].as_i64()).unwrap_or(-1)
}

fn bo_quantity(sim: &Sim, lot: &str) -> i64 {
    sim.brickowl_lots().into_iter().find(|l| l["lot_id"] == lot).and_then(|l| l["qty"].as_str().and_then(|q| q.parse().ok())).unwrap_or(-1)
}

/// The local lots: (item, id, quantity, reserved).
async fn local(env: &TestEnv) -> Vec<(String, i64, i64, i64)> {
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    lots.as_array()
        .expect("lots")
        .iter()
        .map(|l| {
            let n = |k: &str| l[k].as_i64().unwrap_or(0);
            (l["item_no"].as_str().unwrap_or_default().to_string(), n("id"), n("quantity"), n("reserved"))
        })
        .collect()
}

/// One seeded run of `steps` steps; `Err` with the seed and the timeline of each lot that is off.
async fn run(seed: u64, steps: usize) -> Result<(), String> {
    let (sim, env, bl, bo) = setup(&format!("race{seed}")).await;
    let mut rng = Rng(seed.max(1));
    let mut timeline: Vec<Vec<String>> = vec![Vec::new(); LOTS.len()];
    let mut all: Vec<String> = Vec::new();
    for step in 0..steps {
        let i = rng.below(LOTS.len() as u64) as usize;
        let (no, color, _) = LOTS[i];
        let qty = 1 + rng.below(2) as i64;
        let what = match rng.below(8) {
            0 if bl_quantity(&sim, bl[i]) > 4 => {
                sim.bricklink_add_order(order("bl_buyer", no, color, qty, Some(bl[i])));
                format!("BrickLink sells {qty} (holds {})", bl_quantity(&sim, bl[i]))
            }
            1 if bo_quantity(&sim, &bo[i]) > 4 => {
                sim.brickowl_add_order(order("owl_buyer", no, color, qty, None));
                format!("BrickOwl sells {qty} (holds {})", bo_quantity(&sim, &bo[i]))
            }
            2 => {
                let lots = local(&env).await;
                let (id, quantity, reserved) = lots.iter().find(|l| l.0 == no).map(|l| (l.1, l.2, l.3)).unwrap_or_default();
                let change = [-2i64, -1, 1, 2, 3][rng.below(5) as usize];
                // Never below what orders hold (the ledger refuses that) nor to nothing for sale.
                let to = (quantity + change).max(reserved + 5);
                env.json(&["inventory", "update", &id.to_string(), "--json"], &json!({"quantity": to}).to_string()).await;
                format!("seller sets quantity {quantity} → {to} ({reserved} reserved)")
            }
            3 => {
                let (market, path) = if rng.below(2) == 0 {
                    (Market::Bricklink, format!("/inventories/{}", bl[i]))
                } else {
                    (Market::Brickowl, "/inventory/update".to_string())
                };
                sim.inject(market, &path, Fault::TruncatedBody);
                format!("the next answer from {market:?} {path} is lost")
            }
            4 => {
                env.json(&["sync", "retry", "--json"], "").await;
                let run = env.json(&["sync", "run", "--json"], "").await;
                format!("sync run: {}", short(&run["pushed"]))
            }
            7 => {
                // BrickDesk dies mid-call: the store carries the call out, its answer is lost.
                let (market, path) =
                    if rng.below(2) == 0 { (Market::Bricklink, "/inventories") } else { (Market::Brickowl, "/inventory/") };
                sim.slow(market, path, KILL_SLOW);
                let killed = env.kill_sync_run_if_it_calls(&sim).await;
                sim.end_slow();
                if killed {
                    format!("sync run killed during a call to {market:?}")
                } else {
                    format!("sync run (nothing for {market:?} to kill)")
                }
            }
            5 => {
                let provider = if rng.below(2) == 0 { "bricklink" } else { "brickowl" };
                env.json(&["poll", "--provider", provider, "--json"], "").await;
                format!("poll {provider}")
            }
            _ => {
                let run = env.json(&["sync", "run", "--json"], "").await;
                format!("sync run: {}", short(&run["pushed"]))
            }
        };
        let line = format!("{step:>3} lot {no}: {what}; BrickLink {} BrickOwl {}", bl_quantity(&sim, bl[i]), bo_quantity(&sim, &bo[i]));
        timeline[i].push(line.clone());
        all.push(line);
    }
    // Everything polled, the queue run until it is empty.
    env.json(&["poll", "--json"], "").await;
    let mut status = Value::Null;
    for round in 0..8 {
        env.json(&["sync", "retry", "--json"], "").await;
        let run = env.json(&["sync", "run", "--json"], "").await;
        all.push(format!("end {round}: sync run: {}", short(&run)));
        status = env.json(&["sync", "status", "--json"], "").await;
        if status.as_array().into_iter().flatten().all(|s| s["status"] == "synced") {
            break;
        }
        // A read-back waiting for a lost delta to land.
        tokio::time::sleep(SETTLE).await;
    }
    let lots = local(&env).await;
    let mut off = Vec::new();
    for (i, (no, _, _)) in LOTS.iter().enumerate() {
        let available = lots.iter().find(|l| l.0 == *no).map(|l| (l.2 - l.3).max(0)).unwrap_or(-1);
        let (b, o) = (bl_quantity(&sim, bl[i]), bo_quantity(&sim, &bo[i]));
        if b != available || o != available {
            off.push(format!("lot {no}: available {available}, BrickLink {b}, BrickOwl {o}\n    {}", timeline[i].join("\n    ")));
        }
    }
    let pending: Vec<&Value> = status.as_array().into_iter().flatten().filter(|s| s["status"] != "synced").collect();
    if off.is_empty() && pending.is_empty() {
        return Ok(());
    }
    Err(format!(
        "seed {seed}: {} lot(s) off, {} push(es) not synced {pending:?}\n{}\nwhole run:\n  {}",
        off.len(),
        pending.len(),
        off.join("\n"),
        all.join("\n  ")
    ))
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 160 {
        format!("{}…", &s[..160])
    } else {
        s
    }
}

/// A short run in the suite: a few seeds (or `BRICKDESK_RACE_SEED`), printed as they run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stores_hold_what_is_available_after_random_racing_sales() {
    let steps = std::env::var("BRICKDESK_RACE_STEPS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let seeds: Vec<u64> = match std::env::var("BRICKDESK_RACE_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(seed) => vec![seed],
        None => {
            let n = std::env::var("BRICKDESK_RACE_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2u64);
            let base = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(1);
            (0..n).map(|k| base.wrapping_mul(6364136223846793005).wrapping_add(k)).collect()
        }
    };
    for seed in seeds {
        println!("race seed {seed}, {steps} steps (replay: BRICKDESK_RACE_SEED={seed})");
        if let Err(e) = run(seed, steps).await {
            panic!("{e}");
        }
    }
}
