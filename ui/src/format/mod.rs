//! Display logic kept out of components so ordinary `#[test]`s cover it.

use std::collections::HashMap;

use brickdesk_ipc::{
    CatalogColor, CatalogQuery, CatalogStatus, CredentialStatus, DecimalInput, Drift, DriftReport, ImportProgress, ImportReport,
    InboxEntry, InventoryAddInput, InventoryLot, InventoryQuery, InventorySort, InventoryUpdateInput, OrdersQuery, OrdersSort, PickStatus,
    PriceGuide, Provider,
};
use chrono::{DateTime, FixedOffset};
use wasm_bindgen::JsValue;

/// The short badge text for a provider's credentials.
pub fn credential_badge(status: &CredentialStatus) -> &'static str {
    match (status.set, status.active) {
        (true, true) => "Set",
        (true, false) => "Unreadable — save again",
        (false, _) => "Not set",
    }
}

/// Allegro's badge: a saved app registration is not yet an account BrickDesk can use; the device
/// flow links it.
pub fn allegro_badge(status: &CredentialStatus) -> &'static str {
    match (status.set, status.active) {
        (_, true) => "Linked",
        (true, false) => "Not linked",
        (false, _) => "Not set",
    }
}

/// CSS modifier for Allegro's badge.
pub fn allegro_badge_class(status: &CredentialStatus) -> &'static str {
    match (status.set, status.active) {
        (_, true) => "badge ok",
        (true, false) => "badge warn",
        (false, _) => "badge muted",
    }
}

/// The page Allegro asks the seller to approve BrickDesk on, only if it is a web address: it comes
/// from the marketplace, and a `javascript:` or `file:` link must never become clickable.
pub fn web_link(uri: &str) -> Option<&str> {
    let t = uri.trim();
    let lower = t.to_ascii_lowercase();
    ((lower.starts_with("https://") || lower.starts_with("http://")) && !t.chars().any(char::is_whitespace)).then_some(t)
}

/// How long the code shown stays valid, in words.
pub fn code_valid_for(expires_in: u64) -> String {
    match expires_in / 60 {
        0 => format!("The code is valid for {expires_in} seconds."),
        1 => "The code is valid for 1 minute.".into(),
        m => format!("The code is valid for {m} minutes."),
    }
}

/// "every 37 minutes", "every hour", "every 2 h 30 min": an interval of whole seconds in words.
pub fn every(secs: u64) -> String {
    let m = secs / 60;
    match (m / 60, m % 60) {
        (0, 0) => format!("every {secs} seconds"),
        (0, 1) => "every minute".into(),
        (0, m) => format!("every {m} minutes"),
        (1, 0) => "every hour".into(),
        (h, 0) => format!("every {h} hours"),
        (h, m) => format!("every {h} h {m} min"),
    }
}

/// What the seller typed as an interval in whole minutes, in seconds (None if not a positive
/// whole number; the engine checks the bounds and says them).
pub fn minutes_to_secs(text: &str) -> Option<u64> {
    text.trim().parse::<u64>().ok().filter(|m| *m > 0).and_then(|m| m.checked_mul(60))
}

/// An order's number as the orders table shows it. Allegro's are checkout-form UUIDs (36
/// characters) that would widen the table past the window: the first 8 stand for it there (the
/// row's tooltip and the order panel show it whole). BrickLink's and BrickOwl's are short numbers.
pub fn order_number(marketplace: Provider, external_id: &str) -> String {
    match marketplace {
        Provider::Allegro if external_id.chars().count() > 12 => format!("{}…", external_id.chars().take(8).collect::<String>()),
        _ => external_id.to_string(),
    }
}

/// A delivery method worth showing (the marketplace may send none, or blanks).
pub fn delivery_method(method: Option<&str>) -> Option<String> {
    method.map(str::trim).filter(|m| !m.is_empty()).map(str::to_string)
}

/// CSS modifier for the badge.
pub fn credential_badge_class(status: &CredentialStatus) -> &'static str {
    match (status.set, status.active) {
        (true, true) => "badge ok",
        (true, false) => "badge warn",
        (false, _) => "badge muted",
    }
}

/// What a successful credentials save says. Saving leaves the demo at once.
pub fn saved_notice(demo: bool) -> &'static str {
    if demo {
        "Saved to the OS keyring. BrickDesk has left the demo and now follows your store."
    } else {
        "Saved to the OS keyring."
    }
}

/// Which required fields of a form are still blank, by label.
pub fn missing_fields<'a>(fields: &[(&'a str, &str)]) -> Vec<&'a str> {
    fields.iter().filter(|(_, v)| v.trim().is_empty()).map(|(label, _)| *label).collect()
}

/// Clicking a column header: the same column flips direction; another column starts descending
/// when `starts_descending` (dates, amounts, quantities), ascending otherwise.
pub fn toggle_sort<K: PartialEq>((key, descending): (K, bool), clicked: K, starts_descending: bool) -> (K, bool) {
    if key == clicked {
        (key, !descending)
    } else {
        (clicked, starts_descending)
    }
}

pub fn sort_arrow<K: PartialEq>((key, descending): (K, bool), column: K) -> &'static str {
    match (key == column, descending) {
        (false, _) => "",
        (true, false) => " ▲",
        (true, true) => " ▼",
    }
}

/// `100000` → `100,000`.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// `100,000 lots`, or `12 of 100,000 lots` when a filter leaves fewer; `one`/`many` name the rows.
pub fn count_label(matching: i64, all: i64, filtered: bool, (one, many): (&str, &str)) -> String {
    let noun = |n: i64| if n == 1 { one } else { many };
    if filtered {
        format!("{} of {} {}", grouped(matching), grouped(all), noun(all))
    } else {
        format!("{} {}", grouped(all), noun(all))
    }
}

/// The rows of a virtualised table that are drawn, `start..end`: those the viewport shows at
/// `scroll_top` (every row `row_height` pixels) plus `overscan` either side, within `0..total`.
pub fn visible_rows(scroll_top: f64, viewport: f64, row_height: f64, total: i64, overscan: i64) -> (i64, i64) {
    if total <= 0 || row_height <= 0.0 {
        return (0, 0);
    }
    let in_view = (viewport.max(0.0) / row_height).ceil() as i64 + 1;
    // A scroll position past the end (the count just shrank) still draws the last rows.
    let first = ((scroll_top.max(0.0) / row_height).floor() as i64).min((total - in_view).max(0));
    ((first - overscan).max(0), (first + in_view + overscan).min(total))
}

/// The pages (of `page_size` rows; page `p` holds rows `p * page_size..`) that rows `start..end`
/// are on.
pub fn pages_for((start, end): (i64, i64), page_size: i64) -> Vec<i64> {
    if end <= start || page_size <= 0 {
        return Vec::new();
    }
    (start / page_size..=(end - 1) / page_size).collect()
}

/// The orders table's filters, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// The marketplace's status, exactly (`PAID`, `Shipped`).
    pub status: String,
    pub marketplace: Option<Provider>,
    /// Buyer name prefix.
    pub buyer: String,
    /// Days, `YYYY-MM-DD`, both included.
    pub from: String,
    pub to: String,
}

impl OrderFilter {
    pub fn is_empty(&self) -> bool {
        self == &OrderFilter::default()
            || (self.status.trim().is_empty()
                && self.marketplace.is_none()
                && self.buyer.trim().is_empty()
                && self.from.trim().is_empty()
                && self.to.trim().is_empty())
    }
}

fn typed_text(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|t| !t.is_empty())
}

fn typed_day(label: &str, s: &str) -> Result<Option<String>, String> {
    match typed_text(s) {
        None => Ok(None),
        Some(t) => match chrono::NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
            Ok(_) => Ok(Some(t)),
            Err(_) => Err(format!("{label}: type a day like 2026-11-23 (got {t:?}).")),
        },
    }
}

/// The engine's question for the orders table (the page's offset and limit are the pager's), or
/// what to fix in the filters.
pub fn orders_query(f: &OrderFilter, (sort, descending): (OrdersSort, bool)) -> Result<OrdersQuery, String> {
    let from = typed_day("From", &f.from);
    let to = typed_day("To", &f.to);
    let (from, to) = match (from, to) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) => return Err(format!("{a} {b}")),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    Ok(OrdersQuery {
        status: typed_text(&f.status),
        marketplace: f.marketplace,
        buyer: typed_text(&f.buyer),
        from,
        to,
        sort,
        descending,
        offset: 0,
        limit: 0,
    })
}

/// A new order column's first direction: newest dates and biggest totals first.
pub fn orders_sort_starts_descending(sort: OrdersSort) -> bool {
    matches!(sort, OrdersSort::Date | OrdersSort::Total)
}

/// Money strings compare as exact decimals, never as floats.
fn decimal_key(s: &str) -> (bool, u128, String) {
    let neg = s.starts_with('-');
    let (whole, frac) = s.trim_start_matches('-').split_once('.').unwrap_or((s.trim_start_matches('-'), ""));
    let whole: u128 = whole.parse().unwrap_or(0);
    let frac = format!("{frac:0<8}");
    (!neg, if neg { u128::MAX - whole } else { whole }, frac)
}

// Times are stored and sent as RFC 3339 UTC; the seller reads them in their own zone. The `*_in`
// functions take the zone as minutes east of UTC (UTC+1 → 60, UTC−5 → −300, India → 330) so tests
// can pin it; the wrappers without the suffix read it from the webview.

/// `iso` in the zone `offset_minutes` east of UTC; `None` when it is not an RFC 3339 timestamp.
fn in_zone(iso: &str, offset_minutes: i32) -> Option<DateTime<FixedOffset>> {
    let zone = FixedOffset::east_opt(offset_minutes.checked_mul(60)?)?;
    Some(DateTime::parse_from_rfc3339(iso).ok()?.with_timezone(&zone))
}

/// `2026-11-23T10:03:11.527Z` at UTC+1 → `2026-11-23 11:03`; `—` when unknown; text that is not a
/// timestamp shows as it came.
pub fn short_time_in(iso: Option<&str>, offset_minutes: i32) -> String {
    match iso {
        Some(s) if !s.is_empty() => match in_zone(s, offset_minutes) {
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => s.to_string(),
        },
        _ => "—".into(),
    }
}

/// Just `HH:MM` when `iso` falls on the same local day as `now`, else date and time.
pub fn time_of_day_in(iso: &str, now: &str, offset_minutes: i32) -> String {
    match (in_zone(iso, offset_minutes), in_zone(now, offset_minutes)) {
        (Some(t), Some(n)) if t.date_naive() == n.date_naive() => t.format("%H:%M").to_string(),
        _ => short_time_in(Some(iso), offset_minutes),
    }
}

/// A failed notification's outlook: when it is tried again, or that it gave up (`None`).
pub fn retry_label_in(next_attempt_at: Option<&str>, now: &str, offset_minutes: i32) -> String {
    match next_attempt_at {
        Some(next) => format!("next try {}", time_of_day_in(next, now, offset_minutes)),
        None => "gave up".into(),
    }
}

/// The seller's zone at the instant `iso`, in minutes east of UTC: asked per instant because
/// daylight saving moves it. JavaScript counts the other way (UTC − local) and gives NaN for text
/// it cannot read (then UTC; such text shows as it came anyway).
fn local_offset(iso: &str) -> i32 {
    let west = js_sys::Date::new(&JsValue::from_str(iso)).get_timezone_offset();
    if west.is_finite() {
        -(west.round() as i32)
    } else {
        0
    }
}

/// The webview's clock, as an RFC 3339 UTC string like the ones the engine sends.
fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// [`short_time_in`] in the seller's zone.
pub fn short_time(iso: Option<&str>) -> String {
    short_time_in(iso, iso.map(local_offset).unwrap_or(0))
}

/// [`time_of_day_in`] in the seller's zone, against the webview's clock.
pub fn time_of_day(iso: &str) -> String {
    time_of_day_in(iso, &now_iso(), local_offset(iso))
}

/// [`retry_label_in`] in the seller's zone, against the webview's clock.
pub fn retry_label(next_attempt_at: Option<&str>) -> String {
    retry_label_in(next_attempt_at, &now_iso(), next_attempt_at.map(local_offset).unwrap_or(0))
}

/// The Notifications panel's two lists: every failed notification, then the newest
/// `max_messages` messages and feedback (the engine sends both newest first).
pub fn split_inbox(entries: &[InboxEntry], max_messages: usize) -> (Vec<InboxEntry>, Vec<InboxEntry>) {
    let failed = entries.iter().filter(|e| e.status == "failed").cloned().collect();
    let messages = entries
        .iter()
        .filter(|e| e.status != "failed" && matches!(e.kind.as_str(), "message" | "feedback"))
        .take(max_messages)
        .cloned()
        .collect();
    (failed, messages)
}

/// What a notification is about, as the seller reads it.
pub fn inbox_kind(kind: &str) -> String {
    match kind {
        "message" => "Message".into(),
        "feedback" => "Feedback".into(),
        "order" => "Order".into(),
        other => other.to_string(),
    }
}

pub fn attempts(n: i64) -> String {
    match n {
        1 => "1 attempt".into(),
        n => format!("{n} attempts"),
    }
}

pub fn money(amount: &str, currency: &str) -> String {
    format!("{amount} {currency}")
}

pub fn pick_progress(picked: i64, lots: i64) -> String {
    format!("{picked}/{lots}")
}

/// What the picker reads next to a line's tick box.
pub fn pick_label(status: PickStatus) -> &'static str {
    match status {
        PickStatus::Unpicked => "Not picked",
        PickStatus::Picked => "Picked",
        PickStatus::Missing => "Missing",
    }
}

pub fn colour(id: i64, name: &str) -> String {
    match (id, name.trim()) {
        (-1, "") => "unknown".into(),
        (-1, n) => format!("{n} (unmapped)"),
        (id, "") => format!("#{id}"),
        (id, n) => format!("{n} (#{id})"),
    }
}

pub fn budget(used: i64, limit: Option<i64>) -> String {
    match limit {
        Some(l) => format!("{used}/{l} calls today"),
        None => format!("{used} calls today"),
    }
}

// Catalog drawer.

/// CSS classes for the drawer's status badge (its text is `CatalogStatus::as_str`).
pub fn catalog_badge_class(status: CatalogStatus) -> &'static str {
    match status {
        CatalogStatus::Fresh => "badge ok",
        CatalogStatus::Stale => "badge warn",
        CatalogStatus::Refreshing => "badge info",
        CatalogStatus::Missing => "badge muted",
    }
}

/// BrickLink item types, for the Catalog page's type select (the first is the default).
pub const ITEM_TYPES: [&str; 8] = ["PART", "SET", "MINIFIG", "BOOK", "GEAR", "CATALOG", "INSTRUCTION", "ORIGINAL_BOX"];

/// What an order line or a lot opens: its type and number, and its colour unless it is unmapped
/// (`-1`, BrickOwl colours BrickDesk could not name).
pub fn line_query(item_type: &str, item_no: &str, color_id: i64) -> CatalogQuery {
    let item_type = item_type.trim();
    CatalogQuery {
        item_no: item_no.trim().to_string(),
        item_type: (!item_type.is_empty()).then(|| item_type.to_ascii_uppercase()),
        color_id: (color_id >= 0).then_some(color_id),
    }
}

/// The Catalog page's search form: an item number (required), a type (`""` = the engine's default,
/// `PART`) and an optional colour id.
pub fn search_query(item_no: &str, item_type: &str, color: &str) -> Result<CatalogQuery, String> {
    let item_no = item_no.trim();
    if item_no.is_empty() {
        return Err("Type an item number, like 3001.".into());
    }
    let color_id = match color.trim() {
        "" => None,
        c => match c.trim_start_matches('#').parse::<i64>() {
            Ok(id) if id >= 0 => Some(id),
            _ => return Err(format!("Colour id must be a number, like 5 (got {c:?}).")),
        },
    };
    let item_type = item_type.trim();
    Ok(CatalogQuery { item_no: item_no.to_string(), item_type: (!item_type.is_empty()).then(|| item_type.to_ascii_uppercase()), color_id })
}

/// `2.3200` → `2.32`, `1.00` → `1`, `0.0512` stays: a decimal string without trailing zeros.
/// Text that is not a plain decimal shows as it came.
pub fn trim_decimal(s: &str) -> String {
    let s = s.trim();
    let digits = s.trim_start_matches('-');
    let plain = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.') && digits.matches('.').count() <= 1;
    if !plain || !s.contains('.') {
        return s.to_string();
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Whether a decimal string is zero (BrickLink sends `0.00` for an unknown size or weight).
fn is_zero(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().all(|c| c == '0' || c == '.' || c == '-')
}

/// A price guide amount: at least two decimals, no float arithmetic (`0.1200` → `0.12`,
/// `0.0512` → `0.0512`, `3` → `3.00`); `—` when there is none.
pub fn price(amount: &str) -> String {
    let t = trim_decimal(amount);
    if t.is_empty() {
        return "—".into();
    }
    let plain = t.trim_start_matches('-').chars().all(|c| c.is_ascii_digit() || c == '.');
    if !plain {
        return t;
    }
    match t.split_once('.') {
        None => format!("{t}.00"),
        Some((_, frac)) if frac.len() < 2 => format!("{t}{}", "0".repeat(2 - frac.len())),
        Some(_) => t,
    }
}

/// Grams, as BrickLink gives them; `—` when unknown.
pub fn weight(grams: &str) -> String {
    if grams.trim().is_empty() || is_zero(grams) {
        "—".into()
    } else {
        format!("{} g", trim_decimal(grams))
    }
}

/// `2 × 4 × 1.2`, leaving out the dimensions BrickLink does not know; `—` when it knows none.
pub fn size(x: &str, y: &str, z: &str) -> String {
    let known: Vec<String> = [x, y, z].iter().filter(|d| !d.trim().is_empty() && !is_zero(d)).map(|d| trim_decimal(d)).collect();
    if known.is_empty() {
        "—".into()
    } else {
        known.join(" × ")
    }
}

pub fn year(year: Option<i64>) -> String {
    year.filter(|y| *y > 0).map(|y| y.to_string()).unwrap_or_else(|| "—".into())
}

/// A swatch's CSS colour from the catalog's hex (`C91A09` → `#C91A09`); `None` unless it is exactly
/// six hex digits, so nothing but a colour ever reaches a style.
pub fn swatch_color(hex: &str) -> Option<String> {
    let h = hex.trim().trim_start_matches('#');
    (h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit())).then(|| format!("#{}", h.to_ascii_uppercase()))
}

/// The image to load: only an absolute `https:` URL (the window's CSP allows BrickLink's image host).
pub fn image_src(url: &str) -> Option<String> {
    let u = url.trim();
    if u.starts_with("https://") {
        return Some(u.to_string());
    }
    // BrickLink's own scheme-relative form.
    u.strip_prefix("//").map(|rest| format!("https://{rest}"))
}

/// One row of the drawer's price table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceRow {
    /// `sold-N`, `sold-U`, `stock-N`, `stock-U` (the row's `data-guide`).
    pub key: String,
    pub label: String,
    pub min: String,
    pub avg: String,
    /// The quantity-weighted average (the cell's tooltip).
    pub qty_avg: String,
    pub max: String,
    pub quantity: i64,
    pub lots: i64,
}

fn guide_rank(g: &PriceGuide) -> (usize, usize) {
    let t = ["sold", "stock"].iter().position(|t| g.guide_type.eq_ignore_ascii_case(t)).unwrap_or(2);
    let c = ["N", "U"].iter().position(|c| g.new_or_used.eq_ignore_ascii_case(c)).unwrap_or(2);
    (t, c)
}

/// The price table, always in the same order: sold new, sold used, stock new, stock used ("sold" is
/// the last 6 months, "stock" what is for sale now: the table's caption says so).
pub fn price_rows(guides: &[PriceGuide]) -> Vec<PriceRow> {
    let mut sorted: Vec<&PriceGuide> = guides.iter().collect();
    sorted.sort_by_key(|g| guide_rank(g));
    sorted
        .into_iter()
        .map(|g| {
            let what = match g.guide_type.to_ascii_lowercase().as_str() {
                "sold" => "Sold".to_string(),
                "stock" => "Stock".to_string(),
                other => other.to_string(),
            };
            let condition = match g.new_or_used.to_ascii_uppercase().as_str() {
                "N" => "new".to_string(),
                "U" => "used".to_string(),
                other => other.to_string(),
            };
            PriceRow {
                key: format!("{}-{}", g.guide_type.to_ascii_lowercase(), g.new_or_used.to_ascii_uppercase()),
                label: format!("{what}, {condition}"),
                min: price(&g.min_price),
                avg: price(&g.avg_price),
                qty_avg: price(&g.qty_avg_price),
                max: price(&g.max_price),
                quantity: g.total_quantity,
                lots: g.lots,
            }
        })
        .collect()
}

/// The price table's currency: one code, or each one when the guides disagree.
pub fn price_currency(guides: &[PriceGuide]) -> String {
    let mut codes: Vec<&str> = guides.iter().map(|g| g.currency.trim()).filter(|c| !c.is_empty()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(", ")
}

/// The oldest `fetched_at` of the guides (RFC 3339 UTC sorts as text).
pub fn oldest_fetch(guides: &[PriceGuide]) -> Option<String> {
    guides.iter().map(|g| g.fetched_at.as_str()).filter(|t| !t.is_empty()).min().map(str::to_string)
}

/// How long ago `iso` was, against `now`: `just now`, `12 min ago`, `5 h ago`, `1 day ago`,
/// `40 days ago`; `None` when either is not a timestamp.
pub fn age_in(iso: &str, now: &str) -> Option<String> {
    let then = DateTime::parse_from_rfc3339(iso).ok()?;
    let now = DateTime::parse_from_rfc3339(now).ok()?;
    let minutes = (now - then).num_minutes();
    Some(match minutes {
        m if m < 1 => "just now".into(),
        m if m < 60 => format!("{m} min ago"),
        m if m < 24 * 60 => format!("{} h ago", m / 60),
        m if m < 2 * 24 * 60 => "1 day ago".into(),
        m => format!("{} days ago", m / (24 * 60)),
    })
}

/// `fetched 2026-11-23 15:33 (3 days ago)` in the zone `offset_minutes` east of UTC; `not fetched
/// yet` without a time.
pub fn fetched_label_in(fetched_at: Option<&str>, now: &str, offset_minutes: i32) -> String {
    match fetched_at.filter(|t| !t.is_empty()) {
        None => "not fetched yet".into(),
        Some(t) => match age_in(t, now) {
            Some(age) => format!("fetched {} ({age})", short_time_in(Some(t), offset_minutes)),
            None => format!("fetched {}", short_time_in(Some(t), offset_minutes)),
        },
    }
}

/// [`fetched_label_in`] in the seller's zone, against the webview's clock.
pub fn fetched_label(fetched_at: Option<&str>) -> String {
    fetched_label_in(fetched_at, &now_iso(), fetched_at.map(local_offset).unwrap_or(0))
}

// Inventory sync view.

/// How one lot stands on one marketplace, as its chip shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chip {
    /// CSS classes: `chip synced`, `chip pending`, `chip failed`, `chip not-listed`.
    pub class: &'static str,
    /// The chip's text.
    pub label: String,
    /// `synced`, `pending`, `failed`, `not-listed` (the chip's `data-status`), or what the engine sent.
    pub status: String,
    /// The tooltip (and the expanded row's words): where the lot is, or why its push failed.
    pub title: String,
}

/// The chip of `lot` on `market`. A marketplace without an entry does not take part in sync for
/// this lot: "not listed".
pub fn lot_chip(lot: &InventoryLot, market: Provider) -> Chip {
    let name = market.display_name();
    let Some(s) = lot.sync.iter().find(|s| s.marketplace == market) else {
        return Chip {
            class: "chip not-listed",
            label: "not listed".into(),
            status: "not-listed".into(),
            title: format!("Not listed on {name}: BrickDesk syncs a marketplace once its store is imported"),
        };
    };
    let error = s.last_error.clone().filter(|e| !e.trim().is_empty());
    match s.status.as_str() {
        "synced" => Chip {
            class: "chip synced",
            label: "✓ synced".into(),
            status: "synced".into(),
            title: match &s.remote_id {
                Some(id) => format!("On {name} as lot {id}"),
                None => format!("On {name}"),
            },
        },
        "pending" => Chip {
            class: "chip pending",
            label: "pending".into(),
            status: "pending".into(),
            title: match &error {
                Some(e) => format!("Sent to {name} again shortly; the last try failed ({e})"),
                None => format!("Waiting to be pushed to {name} (a few seconds after a change)"),
            },
        },
        "failed" => Chip {
            class: "chip failed",
            label: "failed".into(),
            status: "failed".into(),
            // The engine's words name the marketplace already ("BrickLink refused …").
            title: match &error {
                Some(e) if e.contains(name) => e.clone(),
                Some(e) => format!("{name}: {e}"),
                None => format!("{name} did not take this lot"),
            },
        },
        other => Chip { class: "chip", label: other.to_string(), status: other.to_string(), title: format!("{name}: {other}") },
    }
}

/// A lot's number as the seller types it ("123" or "#123"), or None.
pub fn lot_number(text: &str) -> Option<i64> {
    text.trim().trim_start_matches('#').trim().parse::<i64>().ok().filter(|n| *n > 0)
}

/// The Allegro chip of a lot linked to an Allegro offer (its stock is pushed there), or None for
/// a lot no offer sells: Allegro lots are never created by BrickDesk, so "not listed" means nothing.
pub fn allegro_chip(lot: &InventoryLot) -> Option<Chip> {
    lot.sync.iter().any(|s| s.marketplace == Provider::Allegro).then(|| {
        let chip = lot_chip(lot, Provider::Allegro);
        let offer = lot.sync.iter().find(|s| s.marketplace == Provider::Allegro).and_then(|s| s.remote_id.clone());
        Chip {
            class: match chip.status.as_str() {
                "synced" => "chip synced allegro",
                "pending" => "chip pending allegro",
                "failed" => "chip failed allegro",
                _ => "chip allegro",
            },
            label: format!("Allegro {}", if chip.status == "synced" { "✓".to_string() } else { chip.label.clone() }),
            title: match (chip.status.as_str(), offer) {
                ("synced", Some(o)) => format!("Stock pushed to Allegro offer {o}"),
                _ => chip.title,
            },
            status: chip.status,
        }
    })
}

/// The inventory view's sync filter (the engine's `sync` question).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SyncFilter {
    #[default]
    All,
    /// Lots waiting to be pushed somewhere.
    Pending,
    /// Lots a marketplace did not take (Retry sends them again).
    Failed,
    /// Lots in the last drift report.
    Drift,
}

impl SyncFilter {
    pub const ALL: [SyncFilter; 4] = [SyncFilter::All, SyncFilter::Pending, SyncFilter::Failed, SyncFilter::Drift];

    /// The filter button's id.
    pub fn id(self) -> &'static str {
        match self {
            SyncFilter::All => "filter-all",
            SyncFilter::Pending => "filter-pending",
            SyncFilter::Failed => "filter-failed",
            SyncFilter::Drift => "filter-drift",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SyncFilter::All => "All",
            SyncFilter::Pending => "Pending",
            SyncFilter::Failed => "Failed",
            SyncFilter::Drift => "Drift",
        }
    }

    /// `InventoryQuery::sync`.
    pub fn as_query(self) -> Option<String> {
        match self {
            SyncFilter::All => None,
            SyncFilter::Pending => Some("pending".into()),
            SyncFilter::Failed => Some("failed".into()),
            SyncFilter::Drift => Some("drift".into()),
        }
    }

    /// The button's text with how many lots it shows: `Failed (2)`; just `Failed` until counted.
    pub fn label_with(self, count: Option<i64>) -> String {
        match count {
            Some(n) => format!("{} ({})", self.label(), grouped(n)),
            None => self.label().to_string(),
        }
    }

    /// What the table says when this filter leaves no lot.
    pub fn empty_hint(self) -> &'static str {
        match self {
            SyncFilter::All => "No lot matches these filters.",
            SyncFilter::Pending => "Nothing waiting: every lot is where it should be.",
            SyncFilter::Failed => "No failed pushes.",
            SyncFilter::Drift => "No lot differs from BrickLink in the last check.",
        }
    }
}

/// The inventory table's filters other than sync, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LotFilter {
    /// Item number or catalog name prefix.
    pub text: String,
    /// A colour id (`11`, `#11`), as [`colour_typed`] leaves it.
    pub colour: String,
    /// `N`, `U`, or empty for both.
    pub condition: String,
    /// Bin prefix.
    pub location: String,
}

impl LotFilter {
    pub fn is_empty(&self) -> bool {
        [&self.text, &self.colour, &self.condition, &self.location].iter().all(|t| t.trim().is_empty())
    }
}

/// The engine's question for the inventory table (offset and limit are the pager's), or what to
/// fix in the filters.
pub fn inventory_query(f: &LotFilter, sync: SyncFilter, (sort, descending): (InventorySort, bool)) -> Result<InventoryQuery, String> {
    let color_id = match typed_text(&f.colour) {
        None => None,
        Some(c) => match c.trim_start_matches('#').parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return Err(format!("Colour: pick one from the list or type its id, like 11 (got {c:?}).")),
        },
    };
    Ok(InventoryQuery {
        text: typed_text(&f.text),
        color_id,
        condition: typed_text(&f.condition).map(|c| c.to_ascii_uppercase()),
        location: typed_text(&f.location),
        sync: sync.as_query(),
        sort,
        descending,
        offset: 0,
        limit: 0,
    })
}

/// A new lot column's first direction: biggest quantities and prices first.
pub fn inventory_sort_starts_descending(sort: InventorySort) -> bool {
    matches!(sort, InventorySort::Quantity | InventorySort::Available | InventorySort::Price)
}

/// What the add form says once the engine took a lot: which marketplaces get it.
pub fn added_notice(lot: &InventoryLot) -> String {
    let what = format!("Added lot #{} ({} {})", lot.id, lot.item_type, lot.item_no);
    let markets: Vec<&str> = lot.sync.iter().map(|s| s.marketplace.display_name()).collect();
    match markets.as_slice() {
        [] => format!("{what}."),
        [one] => format!("{what}; {one} gets it within seconds."),
        many => format!("{what}; {} get it within seconds.", many.join(" and ")),
    }
}

/// The status bar's `1 lot failed`, `3 lots pending`.
pub fn lots_that(n: i64, what: &str) -> String {
    match n {
        1 => format!("1 lot {what}"),
        n => format!("{} lots {what}", grouped(n)),
    }
}

/// Where a running import stands: `2,000 of 100,000 lots`.
pub fn import_progress(p: &ImportProgress) -> String {
    if p.total == 0 && p.done == 0 {
        return format!("Reading the {} store…", p.marketplace.display_name());
    }
    format!("{} of {} lots", grouped(p.done), grouped(p.total))
}

/// What an import did, in one sentence.
pub fn import_report(provider: Provider, r: &ImportReport) -> String {
    let conflicting = match r.conflicting {
        0 => String::new(),
        n => format!(" ({} with a different quantity or price: yours kept)", grouped(n)),
    };
    format!(
        "Imported from {}: {} new, {} linked to lots you had{conflicting}, {} already linked.",
        provider.display_name(),
        grouped(r.new),
        grouped(r.linked),
        grouped(r.unchanged)
    )
}

/// A price as typed: `0.12`, `.5`, `3` or with a decimal comma (`0,12`); `None` unless it is a
/// plain non-negative amount.
pub fn typed_price(s: &str) -> Option<String> {
    let t = s.trim();
    let t = if t.contains(',') && !t.contains('.') { t.replacen(',', ".", 1) } else { t.to_string() };
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let plain = t.chars().all(|c| c.is_ascii_digit() || c == '.') && t.matches('.').count() <= 1;
    (plain && digits > 0).then_some(t)
}

/// A whole number, 0 or more.
fn typed_count(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|n| *n >= 0)
}

/// The add-lot form's fields, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LotForm {
    pub item_no: String,
    pub item_type: String,
    pub color_id: String,
    pub condition: String,
    pub quantity: String,
    pub price: String,
    pub location: String,
    pub description: String,
}

/// What the add form sends, or what to fix (every problem, in the form's order). The engine checks
/// again and its refusals are shown as they come.
pub fn lot_add_input(f: &LotForm, currency: Option<&str>) -> Result<InventoryAddInput, String> {
    let mut problems: Vec<String> = Vec::new();
    let item_no = f.item_no.trim();
    if item_no.is_empty() {
        problems.push("Item no. is required, like 3001.".into());
    }
    let color_id = match f.color_id.trim() {
        "" => {
            problems.push("Colour id is required (0 when the item has no colour).".into());
            0
        }
        c => typed_count(c.trim_start_matches('#')).unwrap_or_else(|| {
            problems.push(format!("Colour id must be a number, like 5 (got {c:?})."));
            0
        }),
    };
    let condition = f.condition.trim().to_ascii_uppercase();
    if condition != "N" && condition != "U" {
        problems.push("Condition must be new (N) or used (U).".into());
    }
    let quantity = typed_count(&f.quantity).unwrap_or_else(|| {
        problems.push(format!("Quantity must be a whole number, 0 or more (got {:?}).", f.quantity.trim()));
        0
    });
    let price = typed_price(&f.price).unwrap_or_else(|| {
        problems.push(format!("Price must be an amount like 0.12 (got {:?}).", f.price.trim()));
        String::new()
    });
    if !problems.is_empty() {
        return Err(problems.join(" "));
    }
    let item_type = f.item_type.trim();
    Ok(InventoryAddInput {
        item_no: item_no.to_string(),
        item_type: if item_type.is_empty() { ITEM_TYPES[0].to_string() } else { item_type.to_ascii_uppercase() },
        color_id,
        condition,
        quantity,
        unit_price: DecimalInput::Text(price),
        location: f.location.trim().to_string(),
        description: f.description.trim().to_string(),
        currency: currency.map(str::to_string),
    })
}

/// The currency new lots are priced in: the one most lots use (ties: the first alphabetically);
/// `None` without lots (the engine's default).
pub fn lots_currency(lots: &[InventoryLot]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for l in lots.iter().map(|l| l.currency.trim()).filter(|c| !c.is_empty()) {
        match counts.iter_mut().find(|(c, _)| *c == l) {
            Some((_, n)) => *n += 1,
            None => counts.push((l, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts.first().map(|(c, _)| c.to_string())
}

/// The inline edit of quantity, price and location: only what changed (`Ok(None)`: nothing did).
pub fn lot_edit_input(lot: &InventoryLot, quantity: &str, price: &str, location: &str) -> Result<Option<InventoryUpdateInput>, String> {
    let mut problems: Vec<String> = Vec::new();
    let q = typed_count(quantity);
    if q.is_none() {
        problems.push(format!("Quantity must be a whole number, 0 or more (got {:?}).", quantity.trim()));
    }
    let p = typed_price(price);
    if p.is_none() {
        problems.push(format!("Price must be an amount like 0.12 (got {:?}).", price.trim()));
    }
    let (Some(q), Some(p)) = (q, p) else { return Err(problems.join(" ")) };
    let location = location.trim();
    let input = InventoryUpdateInput {
        quantity: (q != lot.quantity).then_some(q),
        unit_price: (decimal_key(&p) != decimal_key(lot.unit_price.trim())).then_some(DecimalInput::Text(p)),
        location: (location != lot.location.trim()).then(|| location.to_string()),
        ..InventoryUpdateInput::default()
    };
    Ok((input != InventoryUpdateInput::default()).then_some(input))
}

/// The price the edit field starts with: at least two decimals, no trailing zeros beyond
/// (`0.1200` → `0.12`, `0.0512` stays).
pub fn edit_price(unit_price: &str) -> String {
    price(unit_price)
}

// Colours by name (the add form).

/// A colour as the add form lists it: `Black (#11)`; just `#11` while the name is unknown.
pub fn colour_choice(c: &CatalogColor) -> String {
    colour(c.color_id, &c.name)
}

/// What the colour field holds, as an id when it names one: a typed id (`11`, `#11`), a choice
/// from the list (`Black (#11)`) or a known name (`black`, any case). Anything else comes back as
/// typed, for the form to say what to fix.
pub fn colour_typed(text: &str, colors: &[CatalogColor]) -> String {
    let t = text.trim();
    if t.trim_start_matches('#').parse::<i64>().is_ok() {
        return t.to_string();
    }
    if let Some(id) = t.strip_suffix(')').and_then(|s| s.rsplit_once("(#")).and_then(|(_, id)| id.parse::<i64>().ok()) {
        return id.to_string();
    }
    match colors.iter().find(|c| !c.name.trim().is_empty() && c.name.trim().eq_ignore_ascii_case(t)) {
        Some(c) => c.color_id.to_string(),
        None => t.to_string(),
    }
}

/// The name of the colour the field stands for, when the list knows it (shown next to a typed id).
pub fn colour_hint(text: &str, colors: &[CatalogColor]) -> Option<String> {
    let id = colour_typed(text, colors).trim_start_matches('#').parse::<i64>().ok()?;
    colors.iter().find(|c| c.color_id == id).map(|c| c.name.trim().to_string()).filter(|n| !n.is_empty())
}

// Drift check (BrickLink).

/// `Last checked 2026-11-23 11:03 (12 min ago)` in the zone `offset_minutes` east of UTC; `Never
/// checked` without a report.
pub fn drift_checked_label_in(checked_at: Option<&str>, now: &str, offset_minutes: i32) -> String {
    match checked_at.filter(|t| !t.is_empty()) {
        None => "Never checked".into(),
        Some(t) => match age_in(t, now) {
            Some(age) => format!("Last checked {} ({age})", short_time_in(Some(t), offset_minutes)),
            None => format!("Last checked {}", short_time_in(Some(t), offset_minutes)),
        },
    }
}

/// [`drift_checked_label_in`] in the seller's zone, against the webview's clock.
pub fn drift_checked_label(checked_at: Option<&str>) -> String {
    drift_checked_label_in(checked_at, &now_iso(), checked_at.map(local_offset).unwrap_or(0))
}

/// The panel's summary: `No differences`, `1 difference`, `3 differences`.
pub fn drift_summary(n: usize) -> String {
    match n {
        0 => "No differences".into(),
        1 => "1 difference".into(),
        n => format!("{n} differences"),
    }
}

/// `35 → 33`, or just `35` when both sides agree; `—` for a side that is unknown.
pub fn drift_change(expected: Option<&str>, remote: Option<&str>) -> String {
    let side = |s: Option<&str>| s.filter(|s| !s.trim().is_empty()).map(str::to_string).unwrap_or_else(|| "—".into());
    let (e, r) = (side(expected), side(remote));
    if e == r {
        e
    } else {
        format!("{e} → {r}")
    }
}

/// One row of the drift panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DriftRow {
    /// `differs`, `only_remote`, `missing_remote` (the row's `data-kind`).
    pub kind: String,
    /// The marketplace the lot drifted on, as a seller reads it (`BrickOwl`).
    pub market: String,
    /// The local lot (`data-lot-id`; none for a lot only on the marketplace).
    pub lot_id: Option<i64>,
    pub remote_id: String,
    /// `lot #12 · 3003 · Black (#11)`.
    pub what: String,
    /// `35 → 33` (only for `differs`).
    pub quantity: Option<String>,
    /// `0.08 → 0.19` (only for `differs`).
    pub price: Option<String>,
    /// Whether the quantity, the price, differ.
    pub quantity_differs: bool,
    pub price_differs: bool,
    /// What happened and what the seller can do, when there is nothing to choose here.
    pub note: Option<String>,
    /// Keep mine / Take the marketplace's apply (a linked lot whose values differ).
    pub resolvable: bool,
}

/// How a drift reads in the panel; `colour_name` is the colour's name when known.
pub fn drift_row(d: &Drift, colour_name: &str) -> DriftRow {
    let market = d.marketplace.display_name();
    let remote_id = d.remote_id.clone().unwrap_or_default();
    let lot = d.inventory_id.map(|id| format!("lot #{id} · ")).unwrap_or_default();
    let what = format!("{market} · {lot}{} · {}", d.item_no, colour(d.color_id, colour_name));
    let q = |v: Option<i64>| v.map(|v| v.to_string());
    let p = |v: &Option<String>| v.as_deref().map(price);
    let (eq, rq) = (q(d.expected_quantity), q(d.remote_quantity));
    let (ep, rp) = (p(&d.expected_price), p(&d.remote_price));
    let differs = d.kind == "differs";
    let note = match d.kind.as_str() {
        "differs" => None,
        "only_remote" => Some(format!(
            "Only on {market} (lot {remote_id}): BrickDesk does not have it. Import the {market} store to take it in, or delete it on {market}."
        )),
        "missing_remote" => Some(match d.inventory_id {
            Some(id) => format!("No longer on {market} (was lot {remote_id}). If it went on purpose, delete lot #{id} here."),
            None => format!("No longer on {market} (was lot {remote_id})."),
        }),
        other => Some(format!("{market}: {other}")),
    };
    DriftRow {
        kind: d.kind.clone(),
        market: market.to_string(),
        lot_id: d.inventory_id,
        remote_id,
        what,
        quantity: differs.then(|| drift_change(eq.as_deref(), rq.as_deref())),
        price: differs.then(|| drift_change(ep.as_deref(), rp.as_deref())),
        quantity_differs: differs && eq.is_some() && eq != rq,
        price_differs: differs && ep.is_some() && ep != rp,
        note,
        resolvable: differs && d.inventory_id.is_some(),
    }
}

/// The drifts still to settle: the report's, less the lots the seller settled since it was made
/// (`settled`, for the report checked at `settled_for`), and less `differs` lots that now hold
/// exactly the marketplace's quantity and price (taken over, here or in another window).
pub fn open_drifts(report: &DriftReport, settled_for: &str, settled: &[i64], lots: &HashMap<i64, InventoryLot>) -> Vec<Drift> {
    report
        .drifts
        .iter()
        .filter(|d| {
            let Some(id) = d.inventory_id else { return true };
            if settled_for == report.checked_at && settled.contains(&id) {
                return false;
            }
            let took_over = d.kind == "differs"
                && lots.get(&id).is_some_and(|l| {
                    Some(l.quantity - l.reserved) == d.remote_quantity
                        && d.remote_price.as_deref().is_some_and(|p| decimal_key(p.trim()) == decimal_key(l.unit_price.trim()))
                });
            !took_over
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use brickdesk_ipc::LotSync;

    #[test]
    fn only_lots_an_allegro_offer_sells_get_an_allegro_chip() {
        let mut lot = InventoryLot {
            id: 7,
            item_no: "3001".into(),
            item_type: "PART".into(),
            color_id: 11,
            condition: "N".into(),
            location: "A1".into(),
            quantity: 5,
            reserved: 0,
            unit_price: "0.10".into(),
            currency: "USD".into(),
            description: String::new(),
            sync: Vec::new(),
        };
        assert!(allegro_chip(&lot).is_none(), "no offer, no chip (not 'not listed')");
        lot.sync.push(LotSync {
            marketplace: Provider::Allegro,
            status: "synced".into(),
            remote_id: Some("2865624934".into()),
            last_error: None,
        });
        let chip = allegro_chip(&lot).expect("linked");
        assert_eq!((chip.label.as_str(), chip.status.as_str()), ("Allegro ✓", "synced"));
        assert!(chip.title.contains("2865624934"), "{}", chip.title);
        lot.sync[0].status = "failed".into();
        lot.sync[0].last_error = Some("Allegro refused: offer ended".into());
        let chip = allegro_chip(&lot).expect("linked");
        assert_eq!((chip.class, chip.label.as_str()), ("chip failed allegro", "Allegro failed"));
        assert!(chip.title.contains("offer ended"), "{}", chip.title);
    }

    #[test]
    fn intervals_read_in_words_and_minutes_parse_strictly() {
        assert_eq!(every(37 * 60), "every 37 minutes");
        assert_eq!(every(60), "every minute");
        assert_eq!(every(3600), "every hour");
        assert_eq!(every(9000), "every 2 h 30 min");
        assert_eq!(every(30), "every 30 seconds");
        assert_eq!(minutes_to_secs(" 37 "), Some(2220));
        assert_eq!(minutes_to_secs("0"), None);
        assert_eq!(minutes_to_secs("1.5"), None);
        assert_eq!(minutes_to_secs("-3"), None);
        assert_eq!(minutes_to_secs("abc"), None);
        assert_eq!(lot_number(" #42 "), Some(42));
        assert_eq!(lot_number("42"), Some(42));
        assert_eq!(lot_number("0"), None);
        assert_eq!(lot_number("4x"), None);
    }

    #[test]
    fn order_filters_become_the_engines_question() {
        let f = OrderFilter {
            status: " PAID ".into(),
            marketplace: Some(Provider::Brickowl),
            buyer: "an".into(),
            from: "2026-11-01".into(),
            to: String::new(),
        };
        let q = orders_query(&f, (OrdersSort::Date, true)).unwrap();
        assert_eq!(
            (q.status.as_deref(), q.marketplace, q.buyer.as_deref(), q.from.as_deref(), q.to, q.sort, q.descending),
            (Some("PAID"), Some(Provider::Brickowl), Some("an"), Some("2026-11-01"), None, OrdersSort::Date, true)
        );
        assert!(!f.is_empty());
        assert!(OrderFilter { buyer: "  ".into(), ..Default::default() }.is_empty());
        let bad = OrderFilter { from: "1.11.2026".into(), to: "tomorrow".into(), ..Default::default() };
        assert_eq!(
            orders_query(&bad, (OrdersSort::Date, true)).unwrap_err(),
            "From: type a day like 2026-11-23 (got \"1.11.2026\"). To: type a day like 2026-11-23 (got \"tomorrow\")."
        );
        assert!(orders_sort_starts_descending(OrdersSort::Total) && !orders_sort_starts_descending(OrdersSort::Buyer));
    }

    #[test]
    fn header_clicks_toggle_and_counts_read_well() {
        assert_eq!(toggle_sort((OrdersSort::Date, true), OrdersSort::Date, true), (OrdersSort::Date, false));
        assert_eq!(toggle_sort((OrdersSort::Date, true), OrdersSort::Buyer, false), (OrdersSort::Buyer, false));
        assert_eq!(sort_arrow((InventorySort::Price, true), InventorySort::Price), " ▼");
        assert_eq!(sort_arrow((InventorySort::Price, true), InventorySort::Location), "");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(-1_234_567), "-1,234,567");
        assert_eq!(count_label(1, 1, false, ("lot", "lots")), "1 lot");
        assert_eq!(count_label(12, 100_000, true, ("lot", "lots")), "12 of 100,000 lots");
        assert_eq!(count_label(0, 0, false, ("order", "orders")), "0 orders");
    }

    #[test]
    fn the_virtual_window_covers_the_viewport_and_no_more() {
        // 100,000 rows of 36 px, an 720 px viewport: 21 rows in view, 10 more either side.
        assert_eq!(visible_rows(0.0, 720.0, 36.0, 100_000, 10), (0, 31));
        assert_eq!(visible_rows(36.0 * 500.0, 720.0, 36.0, 100_000, 10), (490, 531));
        // The bottom: the last row is drawn.
        assert_eq!(visible_rows(36.0 * 100_000.0 - 720.0, 720.0, 36.0, 100_000, 10), (99_969, 100_000));
        // Scrolled past the end after the count shrank: the last rows still.
        assert_eq!(visible_rows(36.0 * 5_000.0, 720.0, 36.0, 10, 10), (0, 10));
        assert_eq!(visible_rows(0.0, 720.0, 36.0, 0, 10), (0, 0));
        assert_eq!(pages_for((0, 31), 200), vec![0]);
        assert_eq!(pages_for((190, 231), 200), vec![0, 1]);
        assert_eq!(pages_for((99_969, 100_000), 200), vec![499]);
        assert_eq!(pages_for((0, 0), 200), Vec::<i64>::new());
    }

    #[test]
    fn display_helpers() {
        assert_eq!(short_time_in(Some("2026-11-23T10:03:11.527Z"), 0), "2026-11-23 10:03");
        assert_eq!(short_time_in(None, 60), "—");
        assert_eq!(short_time_in(Some("yesterday"), 60), "yesterday", "text that is not a time shows as it came");
        assert_eq!(colour(11, "Black"), "Black (#11)");
        assert_eq!(colour(-1, "Lime"), "Lime (unmapped)");
        assert_eq!(budget(12, Some(5000)), "12/5000 calls today");
        assert_eq!(pick_progress(1, 4), "1/4");
        assert_eq!(PickStatus::ALL.map(pick_label), ["Not picked", "Picked", "Missing"]);
    }

    fn st(set: bool, active: bool) -> CredentialStatus {
        CredentialStatus { provider: Provider::Bricklink, set, active }
    }

    #[test]
    fn badges() {
        assert_eq!(credential_badge(&st(true, true)), "Set");
        assert_eq!(credential_badge(&st(false, false)), "Not set");
        assert_eq!(credential_badge(&st(true, false)), "Unreadable — save again");
        assert_eq!(credential_badge_class(&st(true, true)), "badge ok");
    }

    #[test]
    fn saving_in_the_demo_says_it_left_the_demo() {
        assert!(saved_notice(true).contains("left the demo"));
        assert_eq!(saved_notice(false), "Saved to the OS keyring.");
    }

    #[test]
    fn missing_fields_lists_blank_ones_in_order() {
        assert_eq!(missing_fields(&[("Consumer key", "x"), ("Token", "  "), ("Secret", "")]), vec!["Token", "Secret"]);
        assert!(missing_fields(&[("API key", "k")]).is_empty());
    }

    #[test]
    fn times_show_in_the_sellers_zone() {
        let t = Some("2026-11-23T10:03:11.527Z");
        // Ahead of UTC (Berlin in winter), behind it (New York), and half an hour off (India,
        // Newfoundland).
        assert_eq!(short_time_in(t, 60), "2026-11-23 11:03");
        assert_eq!(short_time_in(t, -300), "2026-11-23 05:03");
        assert_eq!(short_time_in(t, 330), "2026-11-23 15:33");
        assert_eq!(short_time_in(t, -210), "2026-11-23 06:33");
        // Across the date line the local day differs from the UTC one, both ways, and at the turn
        // of the year the year does too.
        assert_eq!(short_time_in(Some("2026-11-23T12:30:00.000Z"), 14 * 60), "2026-11-24 02:30");
        assert_eq!(short_time_in(Some("2026-11-23T05:00:00.000Z"), -10 * 60), "2026-11-22 19:00");
        assert_eq!(short_time_in(Some("2026-12-31T23:30:00.000Z"), 60), "2027-01-01 00:30");
        // A timestamp sent with an offset is converted too.
        assert_eq!(short_time_in(Some("2026-11-23T10:03:00+02:00"), 0), "2026-11-23 08:03");
    }

    #[test]
    fn time_of_day_drops_the_date_only_on_the_local_today() {
        let now = "2026-11-23T22:00:00.000Z";
        assert_eq!(time_of_day_in("2026-11-23T23:10:00.000Z", now, 0), "23:10");
        // One UTC day, two local ones: 23:10 UTC is already tomorrow in Berlin, and 09:00 UTC was
        // still yesterday in Hawaii.
        assert_eq!(time_of_day_in("2026-11-23T23:10:00.000Z", now, 60), "2026-11-24 00:10");
        assert_eq!(time_of_day_in("2026-11-23T09:00:00.000Z", now, -600), "2026-11-22 23:00");
        assert_eq!(retry_label_in(Some("2026-11-23T22:15:00.000Z"), now, 330), "next try 03:45");
        assert_eq!(retry_label_in(None, now, 330), "gave up");
    }

    fn entry(id: i64, kind: &str, status: &str) -> InboxEntry {
        InboxEntry {
            id,
            marketplace: Provider::Bricklink,
            event_type: "Order".into(),
            kind: kind.into(),
            resource_id: format!("{id}"),
            occurred_at: "2026-11-23T10:00:00.000Z".into(),
            status: status.into(),
            attempts: 1,
            next_attempt_at: None,
            last_error: None,
            received_at: "2026-11-23T10:00:01.000Z".into(),
        }
    }

    #[test]
    fn the_inbox_splits_into_failed_and_latest_messages() {
        let all = vec![
            entry(1, "order", "failed"),
            entry(2, "message", "failed"),
            entry(3, "message", "stored"),
            entry(4, "feedback", "stored"),
            entry(5, "message", "stored"),
            entry(6, "order", "completed"),
        ];
        let ids = |v: Vec<InboxEntry>| v.iter().map(|e| e.id).collect::<Vec<_>>();
        let (failed, messages) = split_inbox(&all, 2);
        assert_eq!(ids(failed), vec![1, 2]);
        assert_eq!(ids(messages), vec![3, 4], "failed ones once, newest two, no orders");
        assert_eq!(inbox_kind("feedback"), "Feedback");
        assert_eq!(attempts(1), "1 attempt");
        assert_eq!(attempts(5), "5 attempts");
    }

    fn guide(t: &str, c: &str, min: &str, fetched_at: &str) -> PriceGuide {
        PriceGuide {
            guide_type: t.into(),
            new_or_used: c.into(),
            currency: "USD".into(),
            min_price: min.into(),
            avg_price: "0.1500".into(),
            qty_avg_price: "0.1400".into(),
            max_price: "1.0000".into(),
            total_quantity: 120,
            lots: 7,
            fetched_at: fetched_at.into(),
        }
    }

    #[test]
    fn catalog_badges_have_one_class_per_status() {
        assert_eq!(catalog_badge_class(CatalogStatus::Fresh), "badge ok");
        assert_eq!(catalog_badge_class(CatalogStatus::Stale), "badge warn");
        assert_eq!(catalog_badge_class(CatalogStatus::Refreshing), "badge info");
        assert_eq!(catalog_badge_class(CatalogStatus::Missing), "badge muted");
    }

    #[test]
    fn the_price_table_has_a_fixed_order_and_exact_amounts() {
        let t = "2026-11-23T10:00:00.000Z";
        let guides = vec![
            guide("stock", "U", "0.0512", t),
            guide("sold", "U", "3", t),
            guide("stock", "N", "0.1", t),
            guide("sold", "N", "0.1200", t),
        ];
        let rows = price_rows(&guides);
        assert_eq!(rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["sold-N", "sold-U", "stock-N", "stock-U"]);
        assert_eq!(rows.iter().map(|r| r.min.as_str()).collect::<Vec<_>>(), ["0.12", "3.00", "0.10", "0.0512"]);
        assert_eq!(rows[0].label, "Sold, new");
        assert_eq!(rows[3].label, "Stock, used");
        assert_eq!((rows[0].avg.as_str(), rows[0].qty_avg.as_str(), rows[0].max.as_str()), ("0.15", "0.14", "1.00"));
        assert_eq!((rows[0].quantity, rows[0].lots), (120, 7));
        assert_eq!(price_currency(&guides), "USD");
        let mut eur = guide("sold", "N", "1", t);
        eur.currency = "EUR".into();
        assert_eq!(price_currency(&[guides[0].clone(), eur]), "EUR, USD");
        assert_eq!(price_currency(&[]), "");
        assert_eq!(price(""), "—");
        assert_eq!(price("12.5"), "12.50");
        assert_eq!(price("-1.2000"), "-1.20");
        assert_eq!(price("n/a"), "n/a", "text that is not an amount shows as it came");
    }

    #[test]
    fn catalog_facts_read_as_a_seller_expects() {
        assert_eq!(weight("2.3200"), "2.32 g");
        assert_eq!(weight("0.00"), "—");
        assert_eq!(weight(""), "—");
        assert_eq!(size("4.00", "2.00", "1.20"), "4 × 2 × 1.2");
        assert_eq!(size("4", "0.00", ""), "4");
        assert_eq!(size("0.00", "0.00", "0.00"), "—");
        assert_eq!(trim_decimal("10"), "10");
        assert_eq!(trim_decimal("10.0"), "10");
        assert_eq!(year(Some(1958)), "1958");
        assert_eq!(year(None), "—");
        assert_eq!(year(Some(0)), "—");
    }

    #[test]
    fn swatches_and_images_take_only_what_they_should() {
        assert_eq!(swatch_color("c91a09").as_deref(), Some("#C91A09"));
        assert_eq!(swatch_color("#FFFFFF").as_deref(), Some("#FFFFFF"));
        assert_eq!(swatch_color(""), None);
        assert_eq!(swatch_color("red; background: url(x)"), None, "only a colour reaches a style");
        assert_eq!(swatch_color("FFF"), None);
        assert_eq!(
            image_src("https://img.bricklink.com/ItemImage/PN/5/3001.png").as_deref(),
            Some("https://img.bricklink.com/ItemImage/PN/5/3001.png")
        );
        assert_eq!(image_src("//img.bricklink.com/PL/3001.jpg").as_deref(), Some("https://img.bricklink.com/PL/3001.jpg"));
        assert_eq!(image_src(""), None);
        assert_eq!(image_src("javascript:alert(1)"), None);
        assert_eq!(image_src("http://img.bricklink.com/x.png"), None);
    }

    #[test]
    fn catalog_ages_show_in_the_sellers_zone() {
        let now = "2026-11-23T10:00:00.000Z";
        assert_eq!(age_in("2026-11-23T09:59:30.000Z", now).as_deref(), Some("just now"));
        assert_eq!(age_in("2026-11-23T10:00:05.000Z", now).as_deref(), Some("just now"), "a clock a little ahead");
        assert_eq!(age_in("2026-11-23T09:48:00.000Z", now).as_deref(), Some("12 min ago"));
        assert_eq!(age_in("2026-11-23T05:00:00.000Z", now).as_deref(), Some("5 h ago"));
        assert_eq!(age_in("2026-11-22T09:00:00.000Z", now).as_deref(), Some("1 day ago"));
        assert_eq!(age_in("2026-10-14T10:00:00.000Z", now).as_deref(), Some("40 days ago"));
        assert_eq!(age_in("soon", now), None);
        assert_eq!(fetched_label_in(Some("2026-11-23T09:48:00.000Z"), now, 330), "fetched 2026-11-23 15:18 (12 min ago)");
        assert_eq!(fetched_label_in(Some("2026-11-23T09:48:00.000Z"), now, -300), "fetched 2026-11-23 04:48 (12 min ago)");
        assert_eq!(fetched_label_in(None, now, 0), "not fetched yet");
        let t = |s: &str| guide("sold", "N", "1", s);
        assert_eq!(
            oldest_fetch(&[t("2026-11-23T09:00:00.000Z"), t("2026-11-20T09:00:00.000Z")]).as_deref(),
            Some("2026-11-20T09:00:00.000Z")
        );
        assert_eq!(oldest_fetch(&[]), None);
    }

    #[test]
    fn lines_and_searches_become_catalog_queries() {
        let q = |no: &str, t: Option<&str>, c: Option<i64>| CatalogQuery { item_no: no.into(), item_type: t.map(Into::into), color_id: c };
        assert_eq!(line_query("PART", "3001", 5), q("3001", Some("PART"), Some(5)));
        assert_eq!(line_query("Part", " 3001 ", -1), q("3001", Some("PART"), None), "an unmapped colour asks for no price guide");
        assert_eq!(line_query("", "3001", 0), q("3001", None, Some(0)));
        assert_eq!(search_query(" 3001 ", "", ""), Ok(q("3001", None, None)));
        assert_eq!(search_query("sw0001a", "MINIFIG", " 11 "), Ok(q("sw0001a", Some("MINIFIG"), Some(11))));
        assert_eq!(search_query("3001", "PART", "#5"), Ok(q("3001", Some("PART"), Some(5))));
        assert!(search_query("  ", "PART", "").is_err());
        assert!(search_query("3001", "PART", "red").is_err());
        assert!(search_query("3001", "PART", "-1").is_err());
        assert_eq!(ITEM_TYPES[0], "PART");
    }

    fn lot(id: i64, sync: &[(Provider, &str, Option<&str>)]) -> InventoryLot {
        InventoryLot {
            id,
            item_no: "3001".into(),
            item_type: "PART".into(),
            color_id: 5,
            condition: "N".into(),
            location: "A-01".into(),
            quantity: 40,
            reserved: 0,
            unit_price: "0.12".into(),
            currency: "USD".into(),
            description: String::new(),
            sync: sync
                .iter()
                .map(|(m, status, err)| brickdesk_ipc::LotSync {
                    marketplace: *m,
                    status: status.to_string(),
                    remote_id: (*status == "synced").then(|| "777".to_string()),
                    last_error: err.map(str::to_string),
                })
                .collect(),
        }
    }

    #[test]
    fn each_marketplace_gets_a_chip_and_a_missing_one_is_not_listed() {
        let l = lot(1, &[(Provider::Bricklink, "synced", None)]);
        let bl = lot_chip(&l, Provider::Bricklink);
        assert_eq!((bl.class, bl.label.as_str(), bl.status.as_str()), ("chip synced", "✓ synced", "synced"));
        assert_eq!(bl.title, "On BrickLink as lot 777");
        let bo = lot_chip(&l, Provider::Brickowl);
        assert_eq!((bo.class, bo.label.as_str(), bo.status.as_str()), ("chip not-listed", "not listed", "not-listed"));
        assert!(bo.title.starts_with("Not listed on BrickOwl"), "{}", bo.title);

        let err = "BrickLink refused /inventories: 400 PARAMETER_MISSING_OR_INVALID: injected";
        let failed = lot_chip(&lot(2, &[(Provider::Bricklink, "failed", Some(err))]), Provider::Bricklink);
        assert_eq!((failed.class, failed.label.as_str()), ("chip failed", "failed"));
        assert_eq!(failed.title, err, "the marketplace's words are the tooltip");
        let unnamed = lot_chip(&lot(2, &[(Provider::Bricklink, "failed", Some("timed out"))]), Provider::Bricklink);
        assert_eq!(unnamed.title, "BrickLink: timed out");

        let pending = lot_chip(&lot(3, &[(Provider::Bricklink, "pending", None)]), Provider::Bricklink);
        assert_eq!((pending.class, pending.label.as_str()), ("chip pending", "pending"));
        // Backing off after a failure that may pass: still pending, with the last error at hand.
        let backing_off = lot_chip(&lot(4, &[(Provider::Bricklink, "pending", Some("timed out"))]), Provider::Bricklink);
        assert_eq!(backing_off.class, "chip pending");
        assert!(backing_off.title.contains("timed out"), "{}", backing_off.title);
        // A status this UI does not know yet shows as it came.
        let other = lot_chip(&lot(5, &[(Provider::Bricklink, "waiting", None)]), Provider::Bricklink);
        assert_eq!((other.class, other.label.as_str()), ("chip", "waiting"));
    }

    #[test]
    fn lot_filters_become_the_engines_question_and_texts_read_well() {
        let lots = [
            lot(2, &[(Provider::Bricklink, "pending", None)]),
            lot(3, &[(Provider::Bricklink, "failed", Some("no")), (Provider::Brickowl, "pending", None)]),
            lot(4, &[]),
        ];
        let f = LotFilter { text: " 300 ".into(), colour: "#11".into(), condition: "u".into(), location: "A-".into() };
        let q = inventory_query(&f, SyncFilter::Failed, (InventorySort::Price, true)).unwrap();
        assert_eq!(
            (q.text.as_deref(), q.color_id, q.condition.as_deref(), q.location.as_deref(), q.sync.as_deref()),
            (Some("300"), Some(11), Some("U"), Some("A-"), Some("failed"))
        );
        assert_eq!((q.sort, q.descending, q.offset, q.limit), (InventorySort::Price, true, 0, 0));
        assert!(!f.is_empty() && LotFilter::default().is_empty());
        let none = inventory_query(&LotFilter::default(), SyncFilter::All, (InventorySort::Location, false)).unwrap();
        assert_eq!(none, InventoryQuery::default());
        let bad = LotFilter { colour: "reddish".into(), ..Default::default() };
        assert!(inventory_query(&bad, SyncFilter::All, (InventorySort::Location, false)).unwrap_err().starts_with("Colour: "));
        assert_eq!(SyncFilter::ALL.map(SyncFilter::id), ["filter-all", "filter-pending", "filter-failed", "filter-drift"]);
        assert_eq!(SyncFilter::ALL.map(SyncFilter::as_query), [None, Some("pending".into()), Some("failed".into()), Some("drift".into())]);
        assert_eq!(SyncFilter::Failed.label_with(Some(1)), "Failed (1)");
        assert_eq!(SyncFilter::All.label_with(Some(100_000)), "All (100,000)");
        assert_eq!(SyncFilter::Drift.label_with(None), "Drift");
        assert!(inventory_sort_starts_descending(InventorySort::Quantity) && !inventory_sort_starts_descending(InventorySort::ItemNo));
        assert_eq!(lots_that(1, "failed"), "1 lot failed");
        assert_eq!(lots_that(3000, "pending"), "3,000 lots pending");
        assert_eq!(added_notice(&lots[0]), "Added lot #2 (PART 3001); BrickLink gets it within seconds.");
        assert_eq!(added_notice(&lots[1]), "Added lot #3 (PART 3001); BrickLink and BrickOwl get it within seconds.");
        assert_eq!(added_notice(&lots[2]), "Added lot #4 (PART 3001).");
    }

    #[test]
    fn imports_say_how_far_and_what_they_did() {
        let p = ImportProgress { marketplace: Provider::Bricklink, done: 2000, total: 100_000 };
        assert_eq!(import_progress(&p), "2,000 of 100,000 lots");
        assert_eq!(import_progress(&ImportProgress { done: 0, total: 0, ..p }), "Reading the BrickLink store…");
        let r = ImportReport { new: 12, linked: 3, conflicting: 1, unchanged: 0 };
        assert_eq!(
            import_report(Provider::Brickowl, &r),
            "Imported from BrickOwl: 12 new, 3 linked to lots you had (1 with a different quantity or price: yours kept), 0 already linked."
        );
        let quiet = ImportReport { new: 0, linked: 0, conflicting: 0, unchanged: 5 };
        assert_eq!(
            import_report(Provider::Bricklink, &quiet),
            "Imported from BrickLink: 0 new, 0 linked to lots you had, 5 already linked."
        );
    }

    fn form(item_no: &str, color: &str, quantity: &str, price: &str) -> LotForm {
        LotForm {
            item_no: item_no.into(),
            item_type: "PART".into(),
            color_id: color.into(),
            condition: "N".into(),
            quantity: quantity.into(),
            price: price.into(),
            location: " B-02 ".into(),
            description: String::new(),
        }
    }

    #[test]
    fn the_add_form_sends_a_clean_lot_or_says_what_to_fix() {
        let input = lot_add_input(&form(" 3003 ", "#11", "20", "0,08"), Some("EUR")).unwrap();
        assert_eq!(input.item_no, "3003");
        assert_eq!(input.color_id, 11);
        assert_eq!(input.quantity, 20);
        assert_eq!(input.unit_price, DecimalInput::Text("0.08".into()), "a decimal comma is read as a point");
        assert_eq!(input.location, "B-02");
        assert_eq!(input.currency.as_deref(), Some("EUR"));
        assert_eq!(lot_add_input(&form("3003", "0", "0", ".5"), None).unwrap().unit_price, DecimalInput::Text(".5".into()));

        let e = lot_add_input(&form("", "red", "-1", "cheap"), None).unwrap_err();
        assert!(e.starts_with("Item no. is required"), "{e}");
        for part in ["Colour id must be a number", "Quantity must be a whole number", "Price must be an amount like 0.12"] {
            assert!(e.contains(part), "{part:?} missing in {e}");
        }
        assert!(lot_add_input(&form("3001", "", "1", "1"), None).unwrap_err().contains("Colour id is required"));
        let mut used = form("3001", "5", "1", "1");
        used.condition = "x".into();
        assert!(lot_add_input(&used, None).unwrap_err().contains("new (N) or used (U)"));
        assert_eq!(typed_price("1.2.3"), None);
        assert_eq!(typed_price("-1"), None);
        assert_eq!(typed_price("."), None);
        assert_eq!(typed_price(" 3 ").as_deref(), Some("3"));
    }

    #[test]
    fn new_lots_use_the_stores_usual_currency() {
        let mut a = lot(1, &[]);
        a.currency = "EUR".into();
        let b = lot(2, &[]);
        assert_eq!(lots_currency(&[a.clone(), a.clone(), b.clone()]).as_deref(), Some("EUR"));
        assert_eq!(lots_currency(&[b, a]).as_deref(), Some("EUR"), "a tie goes to the first alphabetically");
        assert_eq!(lots_currency(&[]), None);
    }

    #[test]
    fn an_inline_edit_sends_only_what_changed() {
        let l = lot(1, &[]);
        assert_eq!(lot_edit_input(&l, "40", "0.1200", " A-01 "), Ok(None), "nothing changed");
        let e = lot_edit_input(&l, "35", "0.15", "A-02").unwrap().unwrap();
        assert_eq!(e.quantity, Some(35));
        assert_eq!(e.unit_price, Some(DecimalInput::Text("0.15".into())));
        assert_eq!(e.location.as_deref(), Some("A-02"));
        assert_eq!((e.description, e.condition), (None, None));
        let only_qty = lot_edit_input(&l, "12", "0.12", "A-01").unwrap().unwrap();
        assert_eq!((only_qty.quantity, only_qty.unit_price, only_qty.location), (Some(12), None, None));
        let err = lot_edit_input(&l, "many", "x", "A-01").unwrap_err();
        assert!(err.contains("Quantity") && err.contains("Price"), "{err}");
        assert_eq!(edit_price("0.1200"), "0.12");
        assert_eq!(edit_price("2"), "2.00");
    }

    fn cc(id: i64, name: &str) -> CatalogColor {
        CatalogColor { color_id: id, name: name.into(), hex: String::new(), quantity: 0 }
    }

    #[test]
    fn the_colour_field_takes_a_name_a_choice_or_an_id() {
        let colors = vec![cc(11, "Black"), cc(5, "Red"), cc(86, "")];
        assert_eq!(colour_choice(&colors[0]), "Black (#11)");
        assert_eq!(colour_choice(&colors[2]), "#86", "a colour whose name is not fetched yet");
        assert_eq!(colour_typed(" 11 ", &colors), "11");
        assert_eq!(colour_typed("#5", &colors), "#5");
        assert_eq!(colour_typed("Black (#11)", &colors), "11");
        assert_eq!(colour_typed("Light Bluish Gray (#86)", &[]), "86", "a choice reads without the list");
        assert_eq!(colour_typed(" black ", &colors), "11");
        assert_eq!(colour_typed("blak", &colors), "blak", "an unknown name stays as typed");
        assert_eq!(colour_typed("", &colors), "");
        assert_eq!(colour_hint("5", &colors).as_deref(), Some("Red"));
        assert_eq!(colour_hint("Black (#11)", &colors).as_deref(), Some("Black"));
        assert_eq!(colour_hint("86", &colors), None);
        assert_eq!(colour_hint("3", &colors), None);
        // What the form sends once the field became an id.
        let mut f = form("3001", &colour_typed("red", &colors), "1", "1");
        assert_eq!(lot_add_input(&f, None).unwrap().color_id, 5);
        f.color_id = colour_typed("blak", &colors);
        assert!(lot_add_input(&f, None).unwrap_err().contains("Colour id must be a number"));
    }

    fn drift(kind: &str, lot: Option<i64>, q: (Option<i64>, Option<i64>), p: (Option<&str>, Option<&str>)) -> Drift {
        Drift {
            marketplace: Provider::Bricklink,
            kind: kind.into(),
            inventory_id: lot,
            remote_id: Some("9001".into()),
            item_no: "3003".into(),
            color_id: 11,
            expected_quantity: q.0,
            remote_quantity: q.1,
            expected_price: p.0.map(Into::into),
            remote_price: p.1.map(Into::into),
        }
    }

    #[test]
    fn a_drift_reads_as_what_changed_on_bricklink() {
        let d = drift("differs", Some(2), (Some(35), Some(33)), (Some("0.0800"), Some("0.1900")));
        let row = drift_row(&d, "Black");
        assert_eq!(row.what, "BrickLink · lot #2 · 3003 · Black (#11)");
        assert_eq!((row.quantity.as_deref(), row.price.as_deref()), (Some("35 → 33"), Some("0.08 → 0.19")));
        assert!(row.resolvable && row.quantity_differs && row.price_differs);
        assert_eq!(row.note, None);
        let price_only = drift_row(&drift("differs", Some(2), (Some(35), Some(35)), (Some("0.08"), Some("0.1"))), "");
        assert_eq!((price_only.quantity.as_deref(), price_only.price.as_deref()), (Some("35"), Some("0.08 → 0.10")));
        assert!(!price_only.quantity_differs && price_only.price_differs);

        let only = drift_row(&drift("only_remote", None, (None, Some(4)), (None, Some("1.0000"))), "");
        assert_eq!((only.lot_id, only.what.as_str()), (None, "BrickLink · 3003 · #11"));
        assert!(!only.resolvable && only.quantity.is_none());
        assert!(only.note.as_deref().unwrap().starts_with("Only on BrickLink (lot 9001)"), "{:?}", only.note);
        let mut on_owl = drift("differs", Some(2), (Some(35), Some(33)), (Some("0.0800"), Some("0.1900")));
        on_owl.marketplace = Provider::Brickowl;
        let owl = drift_row(&on_owl, "Black");
        assert_eq!((owl.market.as_str(), owl.what.as_str()), ("BrickOwl", "BrickOwl · lot #2 · 3003 · Black (#11)"));
        let gone = drift_row(&drift("missing_remote", Some(7), (Some(5), None), (None, None)), "");
        assert!(!gone.resolvable);
        assert_eq!(gone.note.as_deref(), Some("No longer on BrickLink (was lot 9001). If it went on purpose, delete lot #7 here."));
        assert_eq!(drift_change(None, Some("3")), "— → 3");
        assert_eq!(drift_summary(0), "No differences");
        assert_eq!(drift_summary(1), "1 difference");
        assert_eq!(drift_summary(4), "4 differences");
    }

    #[test]
    fn the_drift_check_time_shows_in_the_sellers_zone() {
        let now = "2026-11-23T10:00:00.000Z";
        assert_eq!(drift_checked_label_in(None, now, 60), "Never checked");
        assert_eq!(drift_checked_label_in(Some("2026-11-23T09:48:00.000Z"), now, 60), "Last checked 2026-11-23 10:48 (12 min ago)");
        assert_eq!(drift_checked_label_in(Some("2026-11-23T09:48:00.000Z"), now, -300), "Last checked 2026-11-23 04:48 (12 min ago)");
    }

    #[test]
    fn settled_drifts_leave_the_panel() {
        let report = DriftReport {
            checked_at: "2026-11-23T10:00:00.000Z".into(),
            drifts: vec![
                drift("differs", Some(1), (Some(40), Some(33)), (Some("0.12"), Some("0.1900"))),
                drift("differs", Some(2), (Some(20), Some(18)), (Some("0.08"), Some("0.0800"))),
                drift("only_remote", None, (None, Some(4)), (None, Some("1.0000"))),
            ],
        };
        let ids = |v: Vec<Drift>| v.iter().map(|d| d.inventory_id).collect::<Vec<_>>();
        let none = HashMap::new();
        assert_eq!(ids(open_drifts(&report, "", &[], &none)), vec![Some(1), Some(2), None]);
        // Settled in this window, for this report; a newer report shows its own drifts again.
        assert_eq!(ids(open_drifts(&report, &report.checked_at, &[2], &none)), vec![Some(1), None]);
        assert_eq!(ids(open_drifts(&report, "2026-11-22T10:00:00.000Z", &[2], &none)), vec![Some(1), Some(2), None]);
        // Lot 1 now holds BrickLink's 33 for sale (plus 2 reserved) at 0.19: taken over.
        let mut took = lot(1, &[]);
        (took.quantity, took.reserved, took.unit_price) = (35, 2, "0.19".into());
        let mut other = lot(2, &[]);
        other.unit_price = "0.08".into();
        let lots = HashMap::from([(1, took), (2, other)]);
        assert_eq!(ids(open_drifts(&report, "", &[], &lots)), vec![Some(2), None]);
    }
}

#[cfg(test)]
mod allegro_tests {
    use super::*;

    fn st(set: bool, active: bool) -> CredentialStatus {
        CredentialStatus { provider: Provider::Allegro, set, active }
    }

    #[test]
    fn allegro_badge_says_linked_only_once_the_device_flow_ran() {
        assert_eq!((allegro_badge(&st(false, false)), allegro_badge_class(&st(false, false))), ("Not set", "badge muted"));
        assert_eq!((allegro_badge(&st(true, false)), allegro_badge_class(&st(true, false))), ("Not linked", "badge warn"));
        assert_eq!((allegro_badge(&st(true, true)), allegro_badge_class(&st(true, true))), ("Linked", "badge ok"));
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            web_link(" https://allegro.pl/skojarz-aplikacje?code=ABC123 "),
            Some("https://allegro.pl/skojarz-aplikacje?code=ABC123")
        );
        assert_eq!(web_link("http://127.0.0.1:4000/skojarz-aplikacje?code=X"), Some("http://127.0.0.1:4000/skojarz-aplikacje?code=X"));
        assert_eq!(web_link("javascript:alert(1)"), None);
        assert_eq!(web_link("JaVaScRiPt:alert(1)"), None);
        assert_eq!(web_link("file:///etc/passwd"), None);
        assert_eq!(web_link("https://allegro.pl/a b"), None);
        assert_eq!(web_link(""), None);
    }

    #[test]
    fn code_validity_in_words() {
        assert_eq!(code_valid_for(3600), "The code is valid for 60 minutes.");
        assert_eq!(code_valid_for(90), "The code is valid for 1 minute.");
        assert_eq!(code_valid_for(30), "The code is valid for 30 seconds.");
    }

    #[test]
    fn pln_totals_stay_exact_decimal_strings() {
        assert_eq!(money("1234.50", "PLN"), "1234.50 PLN");
        assert_eq!(money("0.10", "PLN"), "0.10 PLN");
    }

    #[test]
    fn allegro_order_numbers_are_shortened_in_the_table_only() {
        let uuid = "bf2c89ac-e58a-ba38-19e6-b3c41a17da5e";
        assert_eq!(order_number(Provider::Allegro, uuid), "bf2c89ac…");
        assert_eq!(order_number(Provider::Allegro, "12345"), "12345");
        assert_eq!(order_number(Provider::Bricklink, "21457893"), "21457893");
        assert_eq!(order_number(Provider::Brickowl, uuid), uuid);
    }

    #[test]
    fn delivery_method_shown_only_when_there_is_one() {
        assert_eq!(delivery_method(Some(" Allegro Paczkomaty InPost ")), Some("Allegro Paczkomaty InPost".to_string()));
        assert_eq!(delivery_method(Some("  ")), None);
        assert_eq!(delivery_method(None), None);
    }
}
