//! What the fake Allegro holds: device authorisations and the tokens handed out, the rate
//! windows per client id, the order journal with its checkout forms, and the offers.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::form::Form;
use super::journal::Journal;
use super::offer::Offers;

/// Where the order journal's sequence starts (the fixture's ids decode to numbers like it).
const ORDER_JOURNAL_FIRST_SEQ: u64 = 1_132_438_574;
pub(crate) const ACCESS_TTL_SECS: i64 = 43_199;

/// One device authorisation (allegro.md §2.1).
#[derive(Debug)]
pub(crate) struct Device {
    pub(super) client_id: String,
    pub(super) device_code: String,
    pub user_code: String,
    pub(super) expires_at: Instant,
    pub(super) interval: Duration,
    pub(super) last_poll: Option<Instant>,
    pub approved: bool,
    pub denied: bool,
    pub(super) used: bool,
}

pub(crate) struct AlState {
    /// Set once the auth host is bound: the `verification_uri` it hands out.
    pub auth_url: String,
    pub devices: Vec<Device>,
    /// Access token → (client id, still valid).
    pub(super) access: HashMap<String, (String, bool)>,
    /// Refresh token → (client id, still valid). Single use: a refresh kills the one it used.
    pub(super) refresh: HashMap<String, (String, bool)>,
    next_token: u64,
    /// The next `token` poll is answered `slow_down` whatever its timing.
    pub slow_down_next: bool,
    /// `slow_down` answers given so far.
    pub slow_downs: usize,
    /// Requests of the rolling minute per client id, and when a blocked client id may call again.
    pub(super) windows: HashMap<String, VecDeque<Instant>>,
    pub(super) blocked_until: HashMap<String, Instant>,
    pub journal: Journal,
    pub forms: BTreeMap<String, Form>,
    pub offers: Offers,
}

impl AlState {
    pub(crate) fn new() -> AlState {
        AlState {
            auth_url: String::new(),
            devices: Vec::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            next_token: 1,
            slow_down_next: false,
            slow_downs: 0,
            windows: HashMap::new(),
            blocked_until: HashMap::new(),
            journal: Journal::starting_at(ORDER_JOURNAL_FIRST_SEQ),
            forms: BTreeMap::new(),
            offers: Offers::default(),
        }
    }

    /// A new access + refresh token pair for `client_id`, as `/auth/oauth/token` answers it.
    pub(super) fn grant(&mut self, client_id: &str) -> Value {
        let n = self.next_token;
        self.next_token += 1;
        let access = format!("sim-access-{n}-{:08x}", rand::random::<u32>());
        let refresh = format!("sim-refresh-{n}-{:08x}", rand::random::<u32>());
        self.access.insert(access.clone(), (client_id.to_string(), true));
        self.refresh.insert(refresh.clone(), (client_id.to_string(), true));
        json!({
            "access_token": access, "token_type": "bearer", "refresh_token": refresh, "expires_in": ACCESS_TTL_SECS,
            "scope": "allegro:api:orders:read allegro:api:orders:write allegro:api:sale:offers:read allegro:api:sale:offers:write allegro:api:profile:read",
            "allegro_api": true, "jti": format!("{:08x}-0000-4000-8000-{n:012x}", rand::random::<u32>()),
        })
    }

    /// Every access token handed out so far stops working (12 hours passed).
    pub(crate) fn expire_access(&mut self) {
        for v in self.access.values_mut() {
            v.1 = false;
        }
    }

    /// Every refresh token dies (the seller unlinked the app, changed the password, …).
    pub(crate) fn revoke_refresh(&mut self) {
        for v in self.refresh.values_mut() {
            v.1 = false;
        }
        self.expire_access();
    }
}
