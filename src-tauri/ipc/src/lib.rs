//! Wire shapes: the only types that cross the Tauri IPC boundary or print as the CLI's `--json`.
//!
//! The engine converts its domain types into these in `engine/views.rs`; the UI deserialises them. Nothing
//! here may ever carry a secret: credential types only say whether a secret is *set*.

use serde::{Deserialize, Serialize};

/// A marketplace BrickDesk talks to. Serialises lower-case (`"bricklink"`), as the CLI takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Bricklink,
    Brickowl,
    Allegro,
}

impl Provider {
    /// Every marketplace BrickDesk talks to.
    pub const ALL: [Provider; 3] = [Provider::Bricklink, Provider::Brickowl, Provider::Allegro];

    /// The marketplaces whose inventory BrickDesk imports, syncs lot by lot, checks for drift and
    /// fills its catalog from (Allegro sells offers linked to lots instead).
    pub const STORES: [Provider; 2] = [Provider::Bricklink, Provider::Brickowl];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Bricklink => "bricklink",
            Provider::Brickowl => "brickowl",
            Provider::Allegro => "allegro",
        }
    }

    /// The name a seller reads.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Bricklink => "BrickLink",
            Provider::Brickowl => "BrickOwl",
            Provider::Allegro => "Allegro",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        match s.to_ascii_lowercase().as_str() {
            "bricklink" => Some(Provider::Bricklink),
            "brickowl" => Some(Provider::Brickowl),
            "allegro" => Some(Provider::Allegro),
            _ => None,
        }
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a provider's credentials are in the OS keyring. Never carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialStatus {
    pub provider: Provider,
    /// A complete credential set is stored in the OS keyring.
    pub set: bool,
    /// The engine will use this provider (credentials set and parseable).
    pub active: bool,
}

/// BrickLink's four OAuth 1.0a values, as the seller copies them from BrickLink's API page.
/// Travels UI → shell once, on save; never sent back.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BricklinkCredentialsInput {
    pub consumer_key: String,
    pub consumer_secret: String,
    pub token_value: String,
    pub token_secret: String,
}

/// BrickOwl's API key. Travels UI → shell once, on save; never sent back.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrickowlCredentialsInput {
    pub api_key: String,
}

/// Allegro's app registration (a *device* app on apps.developer.allegro.pl), as the seller copies
/// it. Travels UI → shell once, on save; never sent back. Linking the account comes after.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllegroCredentialsInput {
    pub client_id: String,
    pub client_secret: String,
    /// A registration made on Allegro's sandbox (allegrosandbox.pl), for trying BrickDesk out.
    #[serde(default)]
    pub sandbox: bool,
}

impl std::fmt::Debug for AllegroCredentialsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AllegroCredentialsInput(***)")
    }
}

impl std::fmt::Debug for BricklinkCredentialsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BricklinkCredentialsInput(***)")
    }
}

impl std::fmt::Debug for BrickowlCredentialsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BrickowlCredentialsInput(***)")
    }
}

/// A started Allegro link (device flow): the seller opens `verification_uri_complete` (or
/// `verification_uri` and types `user_code`) and approves BrickDesk on Allegro.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllegroLink {
    pub verification_uri: String,
    pub verification_uri_complete: String,
    pub user_code: String,
    /// Seconds the code stays valid.
    pub expires_in: u64,
}

/// One of the seller's Allegro offers as BrickDesk knows it (from the offer journal and
/// `GET /sale/product-offers/{id}`), and the lot it is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllegroOffer {
    pub offer_id: String,
    pub name: String,
    /// Price as Allegro states it (a decimal string, e.g. "12.50"); None until fetched.
    pub price: Option<String>,
    pub currency: Option<String>,
    /// `stock.available` on Allegro; None until fetched.
    pub stock_available: Option<i64>,
    /// `ACTIVE`, `ACTIVATING`, `ENDED`, `INACTIVE`, … as Allegro says (kept open).
    pub status: String,
    /// The seller's signature (`external.id`): a BrickDesk lot id or `bl-<BrickLink lot id>`.
    pub external_id: Option<String>,
    /// The local lot it is linked to, if any.
    pub lot_id: Option<i64>,
    /// How it is linked: `signature` (external.id) or `seller` (a link made in BrickDesk).
    pub linked_by: Option<String>,
    /// The lot's item, colour and condition for display ("3001 · 11 Black · N").
    pub lot_label: Option<String>,
    /// When BrickDesk last learnt about the offer (RFC 3339).
    pub updated_at: String,
}

/// Allegro's settings as the Settings card shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllegroSettings {
    /// The saved app registration is on Allegro's sandbox.
    pub sandbox: bool,
    /// How often the order and offer journals are read, in seconds.
    pub poll_interval_secs: u64,
    /// BRICKDESK_ALLEGRO_POLL_INTERVAL_SECS is set: it wins, the interval cannot be changed here.
    pub interval_from_env: bool,
}

/// Facts about the running app the UI shows in Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub database: String,
    pub log_dir: String,
    pub keyring_service: String,
}

/// One order in the orders table. Money is a decimal string in `currency` (never a float).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderSummary {
    /// BrickDesk's local id (what `orders show ID` takes).
    pub id: i64,
    pub marketplace: Provider,
    /// The marketplace's own order number.
    pub external_id: String,
    pub status: String,
    pub buyer_name: String,
    /// RFC 3339 UTC.
    pub date_ordered: String,
    pub total: String,
    pub currency: String,
    /// Pieces (sum of line quantities). Not `items`: `OrderDetail` uses that for its lines.
    pub pieces: i64,
    /// Lines (lots).
    pub lots: i64,
    /// Lines picked so far.
    pub picked: i64,
    /// Not yet opened by the seller.
    pub is_new: bool,
    /// One status for every marketplace; `status` keeps the marketplace's own.
    #[serde(default)]
    pub fulfillment_status: Fulfillment,
}

/// Where an order is, in the same words for every marketplace (BrickLink `PAID`, BrickOwl
/// `Payment Received` and Allegro `NEW` are all `paid`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fulfillment {
    /// Not paid yet.
    New,
    #[default]
    Paid,
    Packed,
    Shipped,
    /// Received by the buyer, or closed.
    Completed,
    Cancelled,
}

impl Fulfillment {
    pub const ALL: [Fulfillment; 6] =
        [Fulfillment::New, Fulfillment::Paid, Fulfillment::Packed, Fulfillment::Shipped, Fulfillment::Completed, Fulfillment::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Fulfillment::New => "new",
            Fulfillment::Paid => "paid",
            Fulfillment::Packed => "packed",
            Fulfillment::Shipped => "shipped",
            Fulfillment::Completed => "completed",
            Fulfillment::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Fulfillment> {
        Fulfillment::ALL.into_iter().find(|f| f.as_str() == s.trim().to_ascii_lowercase())
    }

    /// As the orders table shows it: `Paid`, `Shipped`.
    pub fn label(self) -> &'static str {
        match self {
            Fulfillment::New => "New",
            Fulfillment::Paid => "Paid",
            Fulfillment::Packed => "Packed",
            Fulfillment::Shipped => "Shipped",
            Fulfillment::Completed => "Completed",
            Fulfillment::Cancelled => "Cancelled",
        }
    }
}

impl std::fmt::Display for Fulfillment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the seller marks an order (`orders status ID packed|shipped|paid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FulfillmentMark {
    Packed,
    Shipped,
    /// Paid off-site (BrickLink, BrickOwl).
    Paid,
}

impl FulfillmentMark {
    pub fn parse(s: &str) -> Option<FulfillmentMark> {
        match s.trim().to_ascii_lowercase().as_str() {
            "packed" => Some(FulfillmentMark::Packed),
            "shipped" => Some(FulfillmentMark::Shipped),
            "paid" => Some(FulfillmentMark::Paid),
            _ => None,
        }
    }
}

/// `orders status`: the change and what to tell the marketplace with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderStatusInput {
    pub order_id: i64,
    pub status: FulfillmentMark,
    /// The waybill (shipped only).
    #[serde(default)]
    pub tracking: Option<String>,
    #[serde(default)]
    pub tracking_url: Option<String>,
    /// Allegro's carrier id (`orders carriers`); `OTHER` needs `carrier_name`.
    #[serde(default)]
    pub carrier: Option<String>,
    #[serde(default)]
    pub carrier_name: Option<String>,
}

/// An order's fulfilment as BrickDesk holds it, and whether its marketplace heard of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderFulfillment {
    pub status: Fulfillment,
    pub tracking: Option<String>,
    pub tracking_url: Option<String>,
    /// Allegro's carrier id, or the name given for `OTHER`.
    pub carrier: Option<String>,
    /// `pending`, `synced`, `failed`; `None` when nothing was changed in BrickDesk.
    pub remote: Option<String>,
    /// The marketplace's words for a refused change.
    pub last_error: Option<String>,
}

/// Where and how an order goes, as the marketplace states it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderShipping {
    pub method: Option<String>,
    /// The address as a label reads, one line per line (the buyer's name first).
    pub address: Option<String>,
}

/// `orders status`'s answer (and one order update of a `sync run`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderStatusReport {
    pub order_id: i64,
    pub marketplace: Provider,
    pub status: Fulfillment,
    /// `pending`, `synced` or `failed`.
    pub remote: String,
    pub last_error: Option<String>,
}

/// One line of a pick list across orders: a lot at its location, and which orders take how many.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PickLine {
    pub location: String,
    pub item_no: String,
    pub item_type: String,
    pub item_name: String,
    pub color_id: i64,
    pub color_name: String,
    /// The colour's hex from the catalog cache (`C91A09`, as BrickLink writes it); empty while unknown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub color_hex: String,
    pub condition: String,
    pub quantity: i64,
    /// The lot they come from, when matched.
    pub inventory_id: Option<i64>,
    /// The item's picture, once the catalog holds the item.
    #[serde(default)]
    pub image_url: Option<String>,
    pub orders: Vec<PickLineOrder>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PickLineOrder {
    pub order_id: i64,
    pub external_id: String,
    /// The order line (`OrderItem::id`), to tick it off.
    pub item_id: i64,
    pub quantity: i64,
    pub pick_status: PickStatus,
}

/// `orders pick ID...`: the lines of the orders, sorted by location.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickList {
    pub lines: Vec<PickLine>,
}

/// A pick list line not found on the shelf: its order lines (order id, line id), and whether the
/// pieces are gone (the lot is lowered by them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrdersShortInput {
    pub lines: Vec<(i64, i64)>,
    #[serde(default)]
    pub lower_lot: bool,
}

/// A file format lots go in and out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileFormat {
    /// BrickStore's XML (`.bsx`).
    #[serde(rename = "bsx")]
    Bsx,
    /// BrickLink's mass-upload XML (`INVENTORY/ITEM`).
    #[serde(rename = "bricklink-xml")]
    BricklinkXml,
    /// Comma-, semicolon- or tab-separated text with a header row.
    #[serde(rename = "csv")]
    Csv,
}

impl FileFormat {
    pub const ALL: [FileFormat; 3] = [FileFormat::Bsx, FileFormat::BricklinkXml, FileFormat::Csv];

    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Bsx => "bsx",
            FileFormat::BricklinkXml => "bricklink-xml",
            FileFormat::Csv => "csv",
        }
    }

    pub fn parse(s: &str) -> Option<FileFormat> {
        FileFormat::ALL.into_iter().find(|f| f.as_str() == s.trim().to_ascii_lowercase())
    }
}

/// How to read a CSV file: what a column holds, the encoding and the delimiter (each guessed
/// when not given).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsvOptions {
    /// Column header (as in the file) → field (`item_no`, `item_type`, `color`, `condition`,
    /// `quantity`, `price`, `location`, `description`, `currency`, or `ignore`).
    pub map: Vec<(String, String)>,
    /// `utf-8`, `windows-1250`, `windows-1252`.
    pub encoding: Option<String>,
    pub delimiter: Option<char>,
}

/// A file to import: its bytes as read, and how to read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileImportInput {
    pub format: FileFormat,
    /// The file's name, for the seller's record (never a path BrickDesk opens).
    #[serde(default)]
    pub name: String,
    pub bytes: Vec<u8>,
    #[serde(default)]
    pub csv: CsvOptions,
}

/// One lot an import makes or adds to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLot {
    /// The file's row (CSV: its line; XML: the item's position, from 1).
    pub row: usize,
    pub item_no: String,
    pub item_type: String,
    pub color_id: i64,
    pub condition: String,
    pub quantity: i64,
    pub unit_price: String,
    pub location: String,
    /// The local lot it adds to (same item, colour, condition and bin); `None`: a new lot.
    pub inventory_id: Option<i64>,
}

/// A row an import refuses, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedRow {
    pub row: usize,
    pub reason: String,
}

/// What an import does (or, with `dry_run`, would do): nothing is written before it is confirmed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileImportReport {
    pub format: String,
    pub dry_run: bool,
    /// New local lots.
    pub new: Vec<ImportLot>,
    /// Rows that add to a local lot.
    pub added: Vec<ImportLot>,
    pub refused: Vec<RefusedRow>,
    /// What the file holds that BrickDesk keeps nowhere (tier prices, sale %, stockroom…): field
    /// and how many rows had it.
    pub dropped: Vec<(String, usize)>,
    /// CSV: how each column was read (header → field).
    pub columns: Vec<(String, String)>,
    /// This very file was imported before (then): nothing is added again.
    pub already_imported: Option<String>,
}

/// `orders export csv`: which orders, and whether one row per line instead of per order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrdersExportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub lines: bool,
}

/// `sync publish`: the local lots a newly linked store did not have, listed there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishReport {
    pub marketplace: Option<Provider>,
    pub dry_run: bool,
    /// Lots listed now (with `dry_run`: to be listed).
    pub listed: i64,
    /// Lots the store already had.
    pub already_there: i64,
    /// Lots with nothing for sale (all reserved or none): listed once they have some.
    pub nothing_for_sale: i64,
    /// Lots the store refused, with its words (not retried: the seller fixes and retries).
    pub refused: Vec<PublishRefused>,
    /// The round stopped for a rate limit or the daily budget: the rest follows by itself.
    pub waiting: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishRefused {
    pub inventory_id: i64,
    pub error: String,
}

/// How marking orders behaves (`orders settings`, Settings in the window).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfilmentSettings {
    /// Send BrickLink's Drive Thru e-mail to the buyer when an order is marked shipped.
    pub bricklink_drive_thru: bool,
}

/// An Allegro carrier a waybill can name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carrier {
    pub id: String,
    pub name: String,
}

/// One line of an order, with where to pick it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderItem {
    pub id: i64,
    pub item_no: String,
    pub item_type: String,
    pub item_name: String,
    pub color_id: i64,
    pub color_name: String,
    /// The colour's hex from the catalog cache (`C91A09`, as BrickLink writes it); empty while unknown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub color_hex: String,
    /// `N` or `U`.
    pub condition: String,
    pub quantity: i64,
    pub unit_price: String,
    /// The matched lot's location, or `UNKNOWN` when no lot matched.
    pub location: String,
    /// The matched local lot (stock reserved from it), if any.
    pub inventory_id: Option<i64>,
    pub pick_status: PickStatus,
    /// The item's picture, once the catalog holds the item (the pick list and packing slip).
    #[serde(default)]
    pub image_url: Option<String>,
}

/// Where the picker is with one order line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PickStatus {
    Unpicked,
    /// On the packing table.
    Picked,
    /// Not found on the shelf.
    Missing,
}

impl PickStatus {
    pub const ALL: [PickStatus; 3] = [PickStatus::Unpicked, PickStatus::Picked, PickStatus::Missing];

    pub fn as_str(self) -> &'static str {
        match self {
            PickStatus::Unpicked => "unpicked",
            PickStatus::Picked => "picked",
            PickStatus::Missing => "missing",
        }
    }

    pub fn parse(s: &str) -> Option<PickStatus> {
        PickStatus::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

impl std::fmt::Display for PickStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Marks lines of one order picked, missing or back to unpicked (`orders pick`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrdersPickInput {
    /// BrickDesk's local order id.
    pub order_id: i64,
    /// Line ids (`OrderItem::id`) of that order; empty means every line.
    #[serde(default)]
    pub items: Vec<i64>,
    pub status: PickStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    #[serde(flatten)]
    pub summary: OrderSummary,
    pub date_status_changed: Option<String>,
    pub subtotal: String,
    pub items: Vec<OrderItem>,
    /// How the buyer chose to receive it (Allegro's delivery method), when the marketplace says.
    #[serde(default)]
    pub delivery_method: Option<String>,
    #[serde(default)]
    pub fulfillment: OrderFulfillment,
    #[serde(default)]
    pub shipping: OrderShipping,
}

/// A local inventory lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryLot {
    pub id: i64,
    pub item_no: String,
    pub item_type: String,
    pub color_id: i64,
    pub condition: String,
    pub location: String,
    pub quantity: i64,
    /// Sold in open orders, not yet picked.
    pub reserved: i64,
    pub unit_price: String,
    pub currency: String,
    pub description: String,
    /// The catalog's name of the item, its colour's name and hex (`C91A09`) and picture,
    /// when the local catalog cache has them (left out of JSON when not: missing ones are
    /// queued for a background refresh).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub item_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub color_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub color_hex: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Where each marketplace's copy of the lot stands (only marketplaces that take part in
    /// sync: connected and imported once).
    #[serde(default)]
    pub sync: Vec<LotSync>,
}

/// One marketplace's copy of a lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotSync {
    pub marketplace: Provider,
    /// `synced`, `pending` or `failed`.
    pub status: String,
    pub remote_id: Option<String>,
    pub last_error: Option<String>,
}

/// What `inventory update` changes: any of these fields (absent = unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryUpdateInput {
    #[serde(default)]
    pub quantity: Option<i64>,
    /// Decimal string (`"0.12"`); a JSON number is accepted too.
    #[serde(default)]
    pub unit_price: Option<DecimalInput>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// `N` or `U`.
    #[serde(default)]
    pub condition: Option<String>,
}

/// `inventory import`: what the marketplace's lots became.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// New local lots.
    pub new: i64,
    /// Local lots (same item, colour, condition and location) linked to their remote lot.
    pub linked: i64,
    /// Of the linked, those whose quantity or price differ from the marketplace's: local kept.
    pub conflicting: i64,
    /// Remote lots already linked (imported before).
    pub unchanged: i64,
}

/// Where a running `inventory import` stands (the window's progress bar, the CLI's stderr line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub marketplace: Provider,
    /// Remote lots handled so far, of `total`.
    pub done: i64,
    pub total: i64,
}

/// The inventory view's question: one page of lots, filtered and sorted by the engine.
/// Absent filters match everything; text filters are case-insensitive prefixes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InventoryQuery {
    /// Item number prefix, or the prefix of the catalog name when the catalog has it.
    pub text: Option<String>,
    pub color_id: Option<i64>,
    /// `N` or `U`.
    pub condition: Option<String>,
    /// Bin prefix.
    pub location: Option<String>,
    /// `pending`, `failed` or `drift` (lots in the last drift report).
    pub sync: Option<String>,
    pub sort: InventorySort,
    pub descending: bool,
    pub offset: i64,
    /// Rows wanted (the engine caps it at 500; 0 = only the count).
    pub limit: i64,
}

/// The inventory view's sortable columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InventorySort {
    #[default]
    Location,
    ItemNo,
    Color,
    Condition,
    Quantity,
    Available,
    Price,
    Id,
}

/// One page of lots and how many match in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryPage {
    pub total: i64,
    pub offset: i64,
    pub lots: Vec<InventoryLot>,
}

/// The orders view's question: one page of orders, filtered and sorted by the engine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrdersQuery {
    /// The marketplace's status, exactly as shown (`PAID`, `Shipped`, ...).
    pub status: Option<String>,
    /// The one status for every marketplace (`paid`, `shipped`, ...).
    #[serde(default)]
    pub fulfillment: Option<Fulfillment>,
    pub marketplace: Option<Provider>,
    /// Buyer name prefix, case-insensitive.
    pub buyer: Option<String>,
    /// Ordered on or after this day or instant (RFC 3339 or `YYYY-MM-DD`, UTC).
    pub from: Option<String>,
    /// Ordered before the end of this day, or before this instant.
    pub to: Option<String>,
    pub sort: OrdersSort,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

/// The orders view's sortable columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrdersSort {
    #[default]
    Date,
    Marketplace,
    ExternalId,
    Status,
    Buyer,
    Total,
    /// New, paid, packed, shipped, completed, cancelled: in that order.
    Fulfillment,
}

/// One page of orders and how many match in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdersPage {
    pub total: i64,
    pub offset: i64,
    pub orders: Vec<OrderSummary>,
}

/// `sync retry`: how many failed pushes are due again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRetried {
    pub retried: i64,
}

/// One difference the drift check found between a marketplace's store and what BrickDesk pushed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drift {
    pub marketplace: Provider,
    /// `differs` (a linked lot's quantity or price was changed on the marketplace),
    /// `only_remote` (a lot BrickDesk does not know), `missing_remote` (a linked lot is gone),
    /// `store_quantity` (the store holds what BrickDesk left there, but that is not the lot's
    /// available quantity, and nothing is waiting to be pushed: `expected_quantity` is then the
    /// available quantity).
    pub kind: String,
    pub inventory_id: Option<i64>,
    pub remote_id: Option<String>,
    pub item_no: String,
    pub color_id: i64,
    /// Quantity for sale: what BrickDesk last left on the marketplace, and what it holds now.
    pub expected_quantity: Option<i64>,
    pub remote_quantity: Option<i64>,
    /// Unit price (decimal strings): as last pushed, and as the marketplace has it now.
    pub expected_price: Option<String>,
    pub remote_price: Option<String>,
}

/// `sync reconcile`: every difference found; nothing changed until the seller chooses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftReport {
    pub checked_at: String,
    pub drifts: Vec<Drift>,
}

/// The seller's choice for a lot that drifted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftChoice {
    /// Push the local lot over the marketplace's values.
    KeepLocal,
    /// Take the marketplace's quantity and price into the local lot.
    TakeMarketplace,
}

/// `sync status`: one lot on one marketplace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatusEntry {
    /// The lot; `None` on an order update's entry.
    pub inventory_id: Option<i64>,
    /// The order (BrickDesk's id) of an order update still to send or refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<i64>,
    pub marketplace: Provider,
    /// `synced`, `pending` or `failed`.
    pub status: String,
    pub remote_id: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// One push a sync round made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncPush {
    pub inventory_id: i64,
    pub marketplace: Provider,
    /// `create`, `update`, `delete`, or `none` (already equal: no call).
    pub op: String,
    pub remote_id: Option<String>,
    /// The quantity for sale the marketplace now holds.
    pub quantity: i64,
}

/// `sync run`: what one round pushed, what failed, and whether it stopped to wait.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRunReport {
    pub pushed: Vec<SyncPush>,
    pub failed: Vec<SyncStatusEntry>,
    pub waiting: Option<String>,
    /// What the check after an uncertain push found: a store holding a quantity that is not the
    /// lot's available one (`store_quantity`). Left out when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<DoctorProblem>,
    /// The order changes this round sent (or failed to). Left out when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order_updates: Vec<OrderStatusReport>,
}

/// What `inventory add` reads from stdin (and the UI's add form sends).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryAddInput {
    pub item_no: String,
    /// `PART`, `SET`, `MINIFIG`, … (BrickLink item types).
    pub item_type: String,
    pub color_id: i64,
    /// `N` (new) or `U` (used).
    pub condition: String,
    pub quantity: i64,
    /// Decimal string (`"0.12"`); a JSON number is accepted too.
    pub unit_price: DecimalInput,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub currency: Option<String>,
}

/// A decimal amount as typed: a string (`"0.12"`) or a JSON number (`0.12`), kept as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DecimalInput {
    Text(String),
    Number(serde_json::Number),
}

impl DecimalInput {
    pub fn as_text(&self) -> String {
        match self {
            DecimalInput::Text(s) => s.clone(),
            DecimalInput::Number(n) => n.to_string(),
        }
    }
}

/// The outcome of Settings' "Test connection": one cheap call with the saved credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionTest {
    pub provider: Provider,
    pub ok: bool,
    /// In plain words: what worked, or what the refusal means and what to do about it.
    pub message: String,
    /// The marketplace's own words, when it refused.
    pub detail: Option<String>,
}

/// One inbox entry that failed during a poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationFailure {
    /// The dedupe key `{account}:{event_type}:{resource_id}:{timestamp}`.
    pub key: String,
    pub error: String,
    pub attempts: i64,
    /// False once the attempts are used up: it stays failed until retried by hand.
    pub will_retry: bool,
}

/// An inbox row the seller may want to see: a notification that failed (with its error and
/// attempts, retryable from the window or `inbox retry`), or a message / feedback notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxEntry {
    pub id: i64,
    pub marketplace: Provider,
    /// As the marketplace spelled it (`Order`, `Message`, `Feedback`, …; `Reconcile` for rows
    /// BrickDesk added after comparing order lists).
    pub event_type: String,
    /// `order`, `message`, `feedback` or `unknown`.
    pub kind: String,
    pub resource_id: String,
    pub occurred_at: String,
    /// `pending`, `processing`, `completed`, `failed` or `stored`.
    pub status: String,
    pub attempts: i64,
    /// When it is tried again (a failed row with none has given up until retried).
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub received_at: String,
}

/// What `inbox retry` made due again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRetried {
    pub retried: i64,
}

/// One inconsistency `doctor` found, with the lot or row it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorProblem {
    /// `lot_quantity`, `lot_reserved`, `line_reservation`, `stuck_processing`, `sync_behind`.
    pub kind: String,
    /// The lot (`inventory_id`), order line (`order_item_id`) or inbox row (`inbox_id`) concerned.
    pub inventory_id: Option<i64>,
    pub order_item_id: Option<i64>,
    pub inbox_id: Option<i64>,
    pub detail: String,
}

/// `doctor`: the stored state checked against the ledger (exactly `{"ok", "problems"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorReport {
    pub ok: bool,
    pub problems: Vec<DoctorProblem>,
}

/// What one poll cycle of one provider did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderPoll {
    pub provider: Provider,
    /// Notifications / list entries the marketplace returned.
    pub fetched: i64,
    /// Of those, how many were new to the inbox.
    pub stored: i64,
    /// Already in the inbox (seen in an earlier poll).
    pub duplicates: i64,
    /// Inbox entries processed to completion in this cycle.
    pub processed: i64,
    /// Orders BrickDesk had never seen before.
    pub new_orders: i64,
    pub failures: Vec<NotificationFailure>,
    /// Set when the cycle itself could not run (credentials, network, budget).
    pub error: Option<String>,
    /// Set when processing stopped to wait for a spent daily budget or a rate limit: until when,
    /// and why. Waiting rows are not failures and use no attempt.
    #[serde(default)]
    pub waiting: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollSummary {
    pub providers: Vec<ProviderPoll>,
}

/// Per marketplace: what the status bar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketStatus {
    pub provider: Provider,
    pub active: bool,
    pub last_poll_at: Option<String>,
    pub next_poll_at: Option<String>,
    pub last_error: Option<String>,
    /// Calls made in the last 24 h, and the daily budget (BrickLink only has one).
    pub budget_used: i64,
    pub budget_limit: Option<i64>,
    /// Notifications that used up their attempts and stay failed until retried.
    pub failed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusSnapshot {
    /// The app runs against the built-in simulated stores.
    pub demo: bool,
    pub markets: Vec<MarketStatus>,
    /// Orders not yet opened by the seller.
    pub unread_orders: i64,
}

/// How current a catalog answer is. Reading never waits for the network: the answer comes from the
/// local cache with one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogStatus {
    /// Fetched within the last 30 days.
    Fresh,
    /// Older than 30 days; the old data is still shown and a refresh is queued.
    Stale,
    /// A refresh is queued or running; data shown if there is any.
    Refreshing,
    /// Nothing cached yet (a refresh is queued).
    Missing,
}

impl CatalogStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CatalogStatus::Fresh => "fresh",
            CatalogStatus::Stale => "stale",
            CatalogStatus::Refreshing => "refreshing",
            CatalogStatus::Missing => "missing",
        }
    }
}

/// What `catalog part` / the drawer asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogQuery {
    pub item_no: String,
    /// BrickLink item type (`PART`, `SET`, `MINIFIG`, …); `PART` when absent.
    #[serde(default)]
    pub item_type: Option<String>,
    /// With a colour, the answer includes that colour's price guides.
    #[serde(default)]
    pub color_id: Option<i64>,
}

/// A colour the item is known in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogColor {
    pub color_id: i64,
    /// From the cached colour list ("" until it is fetched).
    pub name: String,
    /// Hex RGB without `#` ("" when unknown).
    pub hex: String,
    /// Pieces of this item in this colour known to BrickLink's catalog.
    pub quantity: i64,
}

/// One price guide: last 6 months sold, or current stock, for new or used; money as decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceGuide {
    /// `sold` or `stock`.
    pub guide_type: String,
    /// `N` or `U`.
    pub new_or_used: String,
    pub currency: String,
    pub min_price: String,
    pub avg_price: String,
    pub qty_avg_price: String,
    pub max_price: String,
    /// Pieces, and lots (BrickLink's `unit_quantity`).
    pub total_quantity: i64,
    pub lots: i64,
    pub fetched_at: String,
}

/// The cached facts about one catalog item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub item_type: String,
    pub item_no: String,
    pub name: String,
    pub category_id: i64,
    pub year_released: Option<i64>,
    /// Grams, decimal string.
    pub weight: String,
    /// Studs / cm as BrickLink gives them, decimal strings.
    pub dim_x: String,
    pub dim_y: String,
    pub dim_z: String,
    /// Absolute `https:` URL, or "" when BrickLink has none.
    pub image_url: String,
    pub colors: Vec<CatalogColor>,
    /// The asked colour's price guides (sold/stock × new/used) when cached; empty otherwise.
    pub price_guides: Vec<PriceGuide>,
    /// The colour the price guides are for.
    pub color_id: Option<i64>,
}

/// `catalog part` / the drawer's answer: always from the local cache, at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogPart {
    pub status: CatalogStatus,
    pub data: Option<CatalogItem>,
    /// When the oldest piece of `data` was fetched.
    pub fetched_at: Option<String>,
    /// Why the last refresh of it failed, if it did (shown while it backs off).
    pub last_error: Option<String>,
}

/// One row of the catalog refresh queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogRefreshEntry {
    pub id: i64,
    /// `item`, `colors` (the item's known colours), `color_list` (every colour) or `price`.
    pub what: String,
    pub item_type: String,
    pub item_no: String,
    pub color_id: i64,
    /// 1 = the seller is looking at it, 0 = background.
    pub priority: i64,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub requested_at: String,
}

/// What one refresh run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogRefreshReport {
    /// Rows fetched and stored.
    pub fetched: Vec<CatalogRefreshEntry>,
    /// Rows that failed (with their error and whether they will be retried).
    pub failed: Vec<CatalogRefreshEntry>,
    /// Set when the run stopped to wait for the catalog share of the budget or a rate limit.
    pub waiting: Option<String>,
}

/// An item the seller looked up recently (the Catalog page's list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogRecent {
    pub item_type: String,
    pub item_no: String,
    /// "" until the item itself is cached.
    pub name: String,
    pub looked_up_at: String,
}

/// Stable, machine-readable error codes. The UI and scripts match on these, never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input (JSON, a field, an argument) was wrong; the message says which field.
    InvalidInput,
    /// The OS keyring could not be reached or refused the operation.
    Keyring,
    /// The local database failed.
    Storage,
    /// The configuration (environment, data directory) is unusable.
    Config,
    /// The thing asked for does not exist (an order or lot id).
    NotFound,
    /// A marketplace refused or failed; the message says which and why.
    Marketplace,
    /// Anything else; the message says what.
    Internal,
}

/// The one error shape that crosses IPC and prints in CLI JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CommandError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_round_trips_lowercase() {
        assert_eq!(serde_json::to_string(&Provider::Bricklink).unwrap(), "\"bricklink\"");
        assert_eq!(Provider::parse("BrickOwl"), Some(Provider::Brickowl));
        assert_eq!(Provider::parse("allegro"), Some(Provider::Allegro));
    }

    #[test]
    fn credential_inputs_never_debug_their_values() {
        let c = BrickowlCredentialsInput { api_key: "SECRETKEY".into() };
        assert!(!format!("{c:?}").contains("SECRETKEY"));
        let b = BricklinkCredentialsInput {
            consumer_key: "ck".into(),
            consumer_secret: "SECRET1".into(),
            token_value: "tv".into(),
            token_secret: "SECRET2".into(),
        };
        assert!(!format!("{b:?}").contains("SECRET"));
        let a = AllegroCredentialsInput { client_id: "cid".into(), client_secret: "SECRET3".into(), sandbox: false };
        assert!(!format!("{a:?}").contains("SECRET"));
    }

    #[test]
    fn order_detail_without_a_delivery_method_still_reads() {
        let text = r#"{"id":1,"marketplace":"allegro","external_id":"x","status":"READY_FOR_PROCESSING","buyer_name":"b",
            "date_ordered":"2026-11-23T10:00:00Z","total":"12.45","currency":"PLN","pieces":1,"lots":1,"picked":0,"is_new":true,
            "date_status_changed":null,"subtotal":"0.45","items":[]}"#;
        let d: OrderDetail = serde_json::from_str(text).unwrap();
        assert_eq!((d.delivery_method, d.summary.total.as_str()), (None, "12.45"));
    }

    #[test]
    fn order_detail_json_has_each_key_once() {
        let summary = OrderSummary {
            id: 1,
            marketplace: Provider::Bricklink,
            external_id: "21457893".into(),
            status: "PAID".into(),
            buyer_name: "b".into(),
            date_ordered: "2026-11-23T10:00:00.000Z".into(),
            total: "12.45".into(),
            currency: "EUR".into(),
            pieces: 3,
            lots: 1,
            picked: 0,
            is_new: true,
            fulfillment_status: Fulfillment::Paid,
        };
        let d = OrderDetail {
            summary,
            date_status_changed: None,
            subtotal: "8.45".into(),
            items: vec![],
            delivery_method: None,
            fulfillment: OrderFulfillment::default(),
            shipping: OrderShipping::default(),
        };
        let text = serde_json::to_string(&d).unwrap();
        assert_eq!(text.matches("\"items\"").count(), 1, "{text}");
        let back: OrderDetail = serde_json::from_str(&text).unwrap();
        assert_eq!(back, d);
        let keys: Vec<String> =
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text).unwrap().keys().cloned().collect();
        for k in ["id", "marketplace", "external_id", "status", "buyer_name", "date_ordered", "total", "currency", "items"] {
            assert!(keys.iter().any(|x| x == k), "missing {k} in {text}");
        }
    }

    #[test]
    fn command_error_json_is_pinned() {
        let e = CommandError { code: ErrorCode::InvalidInput, message: "missing field `api_key`".into() };
        assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"code":"invalid_input","message":"missing field `api_key`"}"#);
    }
}

/// How the window looks and speaks (Settings → Display). Stored in the engine's settings; the OS
/// decides where the seller has not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplaySettings {
    /// `en`, `pl`, `de`, or empty: the OS locale's language.
    pub language: String,
    /// `light`, `dark`, or empty: the OS's (`prefers-color-scheme`).
    pub theme: String,
    /// The language the OS locale asks for (filled in by the shell; ignored when saving).
    #[serde(default)]
    pub os_language: String,
}
