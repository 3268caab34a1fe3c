//! The catalog drawer and page: item facts, the price guide, colours by name.

use brickdesk_ipc::{CatalogColor, CatalogQuery, CatalogStatus, PriceGuide};

use super::time::{age_in, local_offset, now_iso, short_time_in};
use super::words::{is_zero, trim_decimal};
use crate::i18n::{decimal, t, tf};

pub fn colour(id: i64, name: &str) -> String {
    match (id, name.trim()) {
        (-1, "") => t("cat-colour-unknown"),
        (-1, n) => tf("cat-colour-unmapped", &[("name", n.into())]),
        (id, "") => format!("#{id}"),
        (id, n) => format!("{n} (#{id})"),
    }
}

/// The drawer's status badge text (`CatalogStatus::as_str` in English).
pub fn catalog_status(status: CatalogStatus) -> String {
    match status {
        CatalogStatus::Fresh => t("cat-status-fresh"),
        CatalogStatus::Stale => t("cat-status-stale"),
        CatalogStatus::Refreshing => t("cat-status-refreshing"),
        CatalogStatus::Missing => t("cat-status-missing"),
    }
}

/// CSS classes for the drawer's status badge (its text is [`catalog_status`]).
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
        return Err(t("cat-search-no-item"));
    }
    let color_id = match color.trim() {
        "" => None,
        c => match c.trim_start_matches('#').parse::<i64>() {
            Ok(id) if id >= 0 => Some(id),
            _ => return Err(tf("cat-search-bad-colour", &[("typed", format!("{c:?}").into())])),
        },
    };
    let item_type = item_type.trim();
    Ok(CatalogQuery { item_no: item_no.to_string(), item_type: (!item_type.is_empty()).then(|| item_type.to_ascii_uppercase()), color_id })
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
        tf("cat-weight", &[("grams", decimal(&trim_decimal(grams)).into())])
    }
}

/// `2 × 4 × 1.2`, leaving out the dimensions BrickLink does not know; `—` when it knows none.
pub fn size(x: &str, y: &str, z: &str) -> String {
    let known: Vec<String> = [x, y, z].iter().filter(|d| !d.trim().is_empty() && !is_zero(d)).map(|d| decimal(&trim_decimal(d))).collect();
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
                "sold" => t("cat-guide-sold"),
                "stock" => t("cat-guide-stock"),
                other => other.to_string(),
            };
            let condition = match g.new_or_used.to_ascii_uppercase().as_str() {
                "N" => t("cat-guide-new"),
                "U" => t("cat-guide-used"),
                other => other.to_string(),
            };
            // Amounts with the language's separators (`price` itself stays plain: the lot form's
            // inputs take it).
            let shown = |amount: &str| decimal(&price(amount));
            PriceRow {
                key: format!("{}-{}", g.guide_type.to_ascii_lowercase(), g.new_or_used.to_ascii_uppercase()),
                label: tf("cat-guide-row", &[("what", what.into()), ("condition", condition.into())]),
                min: shown(&g.min_price),
                avg: shown(&g.avg_price),
                qty_avg: shown(&g.qty_avg_price),
                max: shown(&g.max_price),
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

/// `fetched 2026-11-23 15:33 (3 days ago)` in the zone `offset_minutes` east of UTC; `not fetched
/// yet` without a time.
pub fn fetched_label_in(fetched_at: Option<&str>, now: &str, offset_minutes: i32) -> String {
    match fetched_at.filter(|t| !t.is_empty()) {
        None => t("cat-not-fetched"),
        Some(at) => {
            let time = short_time_in(Some(at), offset_minutes);
            match age_in(at, now) {
                Some(age) => tf("cat-fetched-ago", &[("time", time.into()), ("age", age.into())]),
                None => tf("cat-fetched", &[("time", time.into())]),
            }
        }
    }
}

/// [`fetched_label_in`] in the seller's zone, against the webview's clock.
pub fn fetched_label(fetched_at: Option<&str>) -> String {
    fetched_label_in(fetched_at, &now_iso(), fetched_at.map(local_offset).unwrap_or(0))
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn swatches_take_only_colours() {
        assert_eq!(swatch_color("c91a09").as_deref(), Some("#C91A09"));
        assert_eq!(swatch_color("#FFFFFF").as_deref(), Some("#FFFFFF"));
        assert_eq!(swatch_color(""), None);
        assert_eq!(swatch_color("red; background: url(x)"), None, "only a colour reaches a style");
        assert_eq!(swatch_color("FFF"), None);
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
}
