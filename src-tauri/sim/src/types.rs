//! The simulator's public types, re-exported by `lib.rs`: the options a `Sim` starts with, what
//! tests seed it with (items, orders, Allegro offers and purchases), the faults they inject and
//! the calls they read back.

/// Allowed distance between a BrickLink `oauth_timestamp` and the server clock, unless
/// `SimOptions::bricklink_timestamp_window_secs` widens it (benchmarks only).
pub(crate) const BRICKLINK_TIMESTAMP_WINDOW_SECS: u64 = 15 * 60;

/// The four BrickLink OAuth secrets the simulator accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BricklinkCredentials {
    pub consumer_key: String,
    pub consumer_secret: String,
    pub token_value: String,
    pub token_secret: String,
}

/// What the simulated accounts accept and allow.
#[derive(Clone, Debug)]
pub struct SimOptions {
    pub bricklink: BricklinkCredentials,
    pub brickowl_api_key: String,
    /// BrickLink calls allowed per rolling 24 h (default 5000).
    pub bricklink_daily_limit: u32,
    /// BrickOwl requests allowed per rolling minute (default 600).
    pub brickowl_per_minute: u32,
    /// How far a BrickLink `oauth_timestamp` may be from the clock (default 15 min). Benchmarks
    /// widen it to measure sync without BrickLink's one-call-per-second timestamp pacing.
    pub bricklink_timestamp_window_secs: u64,
    /// BrickOwl `bulk/batch` requests allowed per rolling minute (default 200).
    pub brickowl_bulk_per_minute: u32,
    /// The Allegro app registration the auth host accepts (Basic authentication).
    pub allegro_client_id: String,
    pub allegro_client_secret: String,
    /// The device flow's polling `interval` (Allegro: 5 s).
    pub allegro_device_interval_secs: u64,
    /// Allegro API requests allowed per minute per client id (Allegro: 9,000).
    pub allegro_per_minute: u32,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            bricklink: BricklinkCredentials {
                consumer_key: "DEMOCONSUMERKEY".to_string(),
                consumer_secret: "DEMOCONSUMERSECRET".to_string(),
                token_value: "DEMOTOKENVALUE".to_string(),
                token_secret: "DEMOTOKENSECRET".to_string(),
            },
            brickowl_api_key: "DEMOBRICKOWLKEY".to_string(),
            bricklink_daily_limit: 5000,
            brickowl_per_minute: 600,
            bricklink_timestamp_window_secs: BRICKLINK_TIMESTAMP_WINDOW_SECS,
            brickowl_bulk_per_minute: 200,
            allegro_client_id: "demo-allegro-client".to_string(),
            allegro_client_secret: "DEMOALLEGROSECRET".to_string(),
            allegro_device_interval_secs: 5,
            allegro_per_minute: 9000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Market {
    Bricklink,
    Brickowl,
    /// Both Allegro hosts (auth and API); paths tell them apart.
    Allegro,
}

/// An Allegro offer as tests seed it. Empty `id` = a generated numeric id, empty `currency` =
/// PLN, empty `status` = ACTIVE (ACTIVATING, INACTIVE, ENDED, ARCHIVED as Allegro names them).
#[derive(Clone, Debug, Default)]
pub struct AllegroOffer {
    pub id: String,
    pub name: String,
    /// Decimal string such as "9.99".
    pub price: String,
    pub currency: String,
    /// `stock.available`.
    pub stock: i64,
    pub status: String,
    /// The seller's signature (`external.id`): `bl-<BrickLink lot>` or a BrickDesk lot id.
    pub external_id: Option<String>,
}

/// One line of an Allegro purchase: an offer bought `quantity` times at `price` PLN.
#[derive(Clone, Debug)]
pub struct AllegroLine {
    pub offer_id: String,
    pub name: String,
    /// The offer's `external.id` (the seller's signature: `bl-<BrickLink lot>` or a BrickDesk lot).
    pub external_id: Option<String>,
    pub quantity: i64,
    /// Decimal string such as "9.99".
    pub price: String,
}

/// An Allegro purchase as tests describe it.
#[derive(Clone, Debug)]
pub struct AllegroOrder {
    pub buyer_login: String,
    pub lines: Vec<AllegroLine>,
    /// Delivery method name ("Allegro Paczkomaty InPost").
    pub delivery: String,
    /// Decimal string.
    pub delivery_cost: String,
    /// Paid at once (`READY_FOR_PROCESSING`); otherwise only `BOUGHT` until `Sim::allegro_pay`.
    pub paid: bool,
}

/// One order line / stock lot as tests describe it (BrickLink terms).
#[derive(Clone, Debug)]
pub struct SimItem {
    pub item_no: String,
    /// "PART", "SET", "MINIFIG", …
    pub item_type: String,
    /// BrickLink colour id.
    pub color_id: i64,
    /// 'N' or 'U'.
    pub condition: char,
    pub quantity: i64,
    /// Decimal string such as "0.1200".
    pub unit_price: String,
    /// BrickLink remarks = storage location / bin.
    pub remarks: String,
    /// The BrickLink lot this line came from.
    pub inventory_id: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct SimOrder {
    pub buyer_name: String,
    /// "USD".
    pub currency: String,
    /// Decimal string such as "2.5000".
    pub shipping: String,
    /// BrickLink status such as "PENDING" (BrickOwl maps it to its own status ids).
    pub status: String,
    /// BrickLink batches; BrickOwl flattens them.
    pub batches: Vec<Vec<SimItem>>,
}

/// A one-shot failure for the next matching request (see `Sim::inject`).
#[derive(Clone, Debug)]
pub enum Fault {
    /// BrickLink: HTTP 200 + envelope `meta.code` = N. BrickOwl: HTTP N with `{"error":"…"}`.
    Status(u16),
    /// HTTP 503 with an nginx-style HTML body, no envelope.
    GatewayHtml503,
    /// HTTP 429 with `Retry-After`, no envelope.
    TooManyRequests { retry_after_secs: u64 },
    /// HTTP 200 with the real body cut in half (the request's effects still happen).
    TruncatedBody,
    /// HTTP 200 with exactly this body.
    Body(String),
}

/// One request as the simulator saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRecord {
    pub market: Market,
    pub method: String,
    /// Path without the `/api/store/v1` or `/v1` prefix, e.g. "/orders/1234/items", "/order/list".
    pub path: String,
    /// Raw query string as sent (BrickOwl GETs include the key).
    pub query: String,
    /// HTTP status sent.
    pub status: u16,
    /// BrickLink envelope `meta.code`, when an envelope was sent.
    pub meta_code: Option<i64>,
}
