//! The drift panel (lots that differ from a marketplace's).

use std::collections::HashMap;

use brickdesk_ipc::{Drift, DriftReport, InventoryLot};

use super::catalog::{colour, price};
use super::time::{age_in, local_offset, now_iso, short_time_in};
use super::words::{decimal_key, grouped, unknown};
use crate::i18n::{t, tf, Value};

/// `Last checked 2026-11-23 11:03 (12 min ago)` in the zone `offset_minutes` east of UTC; `Never
/// checked` without a report.
pub fn drift_checked_label_in(checked_at: Option<&str>, now: &str, offset_minutes: i32) -> String {
    match checked_at.filter(|at| !at.is_empty()) {
        None => t("lots-drift-never-checked"),
        Some(at) => {
            let time = short_time_in(Some(at), offset_minutes);
            match age_in(at, now) {
                Some(age) => tf("lots-drift-last-checked-ago", &[("time", time.into()), ("age", age.into())]),
                None => tf("lots-drift-last-checked", &[("time", time.into())]),
            }
        }
    }
}

/// [`drift_checked_label_in`] in the seller's zone, against the webview's clock.
pub fn drift_checked_label(checked_at: Option<&str>) -> String {
    drift_checked_label_in(checked_at, &now_iso(), checked_at.map(local_offset).unwrap_or(0))
}

/// The panel's summary: `No differences`, `1 difference`, `3 differences`.
pub fn drift_summary(n: usize) -> String {
    tf("lots-drift-summary", &[("count", Value::from(i64::try_from(n).unwrap_or(i64::MAX)))])
}

/// `35 → 33`, or just `35` when both sides agree; `—` for a side that is unknown.
pub fn drift_change(expected: Option<&str>, remote: Option<&str>) -> String {
    let side = |s: Option<&str>| s.filter(|s| !s.trim().is_empty()).map(str::to_string).unwrap_or_else(unknown);
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
    /// `differs`, `store_quantity`, `only_remote`, `missing_remote` (the row's `data-kind`).
    pub kind: String,
    /// The marketplace the lot drifted on, as a seller reads it (`BrickOwl`).
    pub market: String,
    /// The local lot (`data-lot-id`; none for a lot only on the marketplace).
    pub lot_id: Option<i64>,
    pub remote_id: String,
    /// `lot #12 · 3003 · Black (#11)`.
    pub what: String,
    /// `35 → 33`: BrickDesk's side → the marketplace's (for `differs`: what BrickDesk last left
    /// there; for `store_quantity`: what is available).
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
    let (item, shade) = (d.item_no.as_str(), colour(d.color_id, colour_name));
    let what = match d.inventory_id {
        Some(id) => tf(
            "lots-drift-what-lot",
            &[("market", market.into()), ("id", id.to_string().into()), ("item", item.into()), ("colour", shade.into())],
        ),
        None => tf("lots-drift-what", &[("market", market.into()), ("item", item.into()), ("colour", shade.into())]),
    };
    let q = |v: Option<i64>| v.map(grouped);
    let p = |v: &Option<String>| v.as_deref().map(|v| crate::i18n::decimal(&price(v)));
    let (eq, rq) = (q(d.expected_quantity), q(d.remote_quantity));
    let (ep, rp) = (p(&d.expected_price), p(&d.remote_price));
    let off = d.kind == "store_quantity";
    let differs = d.kind == "differs" || off;
    let note = match d.kind.as_str() {
        "differs" | "store_quantity" => None,
        "only_remote" => Some(tf("lots-drift-only-remote", &[("market", market.into()), ("remote", remote_id.as_str().into())])),
        "missing_remote" => Some(match d.inventory_id {
            Some(id) => tf(
                "lots-drift-missing-remote-lot",
                &[("market", market.into()), ("remote", remote_id.as_str().into()), ("id", id.to_string().into())],
            ),
            None => tf("lots-drift-missing-remote", &[("market", market.into()), ("remote", remote_id.as_str().into())]),
        }),
        other => Some(tf("lots-drift-other", &[("market", market.into()), ("kind", other.into())])),
    };
    DriftRow {
        kind: d.kind.clone(),
        market: market.to_string(),
        lot_id: d.inventory_id,
        remote_id,
        what,
        quantity: differs.then(|| drift_change(eq.as_deref(), rq.as_deref())),
        // The store's price is not in question when only its quantity is off.
        price: (differs && !off).then(|| drift_change(ep.as_deref(), rp.as_deref())),
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
    use crate::format::inventory::tests::lot;
    use brickdesk_ipc::Provider;

    #[test]
    fn a_store_holding_more_than_is_available_reads_as_a_quantity_to_settle() {
        let row = drift_row(&drift("store_quantity", Some(3), (Some(164), Some(166)), (None, None)), "Black");
        assert_eq!(row.quantity.as_deref(), Some("164 → 166"));
        assert_eq!(row.price, None);
        assert!(row.quantity_differs && row.resolvable && row.note.is_none());
        assert_eq!(row.kind, "store_quantity");
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
