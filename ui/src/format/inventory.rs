//! The inventory view: sync chips, filters, the add notice and imports.

use brickdesk_ipc::{ImportProgress, ImportReport, InventoryLot, InventoryQuery, InventorySort, Provider};

use super::words::typed_text;
use crate::i18n::{t, tf, Value};

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
            label: t("inv-chip-not-listed"),
            status: "not-listed".into(),
            title: tf("inv-chip-not-listed-title", &[("market", name.into())]),
        };
    };
    let error = s.last_error.clone().filter(|e| !e.trim().is_empty());
    match s.status.as_str() {
        "synced" => Chip {
            class: "chip synced",
            label: t("inv-chip-synced"),
            status: "synced".into(),
            title: match &s.remote_id {
                Some(id) => tf("inv-chip-synced-as", &[("market", name.into()), ("remote", id.as_str().into())]),
                None => tf("inv-chip-synced-title", &[("market", name.into())]),
            },
        },
        "pending" => Chip {
            class: "chip pending",
            label: t("inv-chip-pending"),
            status: "pending".into(),
            title: match &error {
                Some(e) => tf("inv-chip-pending-retry", &[("market", name.into()), ("error", e.as_str().into())]),
                None => tf("inv-chip-pending-title", &[("market", name.into())]),
            },
        },
        "failed" => Chip {
            class: "chip failed",
            label: t("inv-chip-failed"),
            status: "failed".into(),
            // The engine's words name the marketplace already ("BrickLink refused …").
            title: match &error {
                Some(e) if e.contains(name) => e.clone(),
                Some(e) => tf("inv-chip-failed-error", &[("market", name.into()), ("error", e.as_str().into())]),
                None => tf("inv-chip-failed-title", &[("market", name.into())]),
            },
        },
        other => Chip {
            class: "chip",
            label: other.to_string(),
            status: other.to_string(),
            title: tf("inv-chip-other-title", &[("market", name.into()), ("status", other.into())]),
        },
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
            label: if chip.status == "synced" {
                t("inv-chip-allegro-synced")
            } else {
                tf("inv-chip-allegro", &[("status", chip.label.clone().into())])
            },
            title: match (chip.status.as_str(), offer) {
                ("synced", Some(o)) => tf("inv-chip-allegro-offer", &[("offer", o.into())]),
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

    pub fn label(self) -> String {
        match self {
            SyncFilter::All => t("inv-filter-all"),
            SyncFilter::Pending => t("inv-filter-pending"),
            SyncFilter::Failed => t("inv-filter-failed"),
            SyncFilter::Drift => t("inv-filter-drift"),
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
            Some(n) => tf("inv-filter-count", &[("filter", self.label().into()), ("count", Value::from(n))]),
            None => self.label(),
        }
    }

    /// What the table says when this filter leaves no lot.
    pub fn empty_hint(self) -> String {
        match self {
            SyncFilter::All => t("inv-empty-all"),
            SyncFilter::Pending => t("inv-empty-pending"),
            SyncFilter::Failed => t("inv-empty-failed"),
            SyncFilter::Drift => t("inv-empty-drift"),
        }
    }
}

/// The inventory table's filters other than sync, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LotFilter {
    /// Item number or catalog name prefix.
    pub text: String,
    /// A colour id (`11`, `#11`), as [`colour_typed`](super::catalog::colour_typed) leaves it.
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
            Err(_) => return Err(tf("inv-filter-colour-invalid", &[("typed", format!("{c:?}").into())])),
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
    // The lot's number is an id: never grouped.
    let what = |key: &str, markets: Option<String>| {
        let mut args: Vec<(&str, Value)> =
            vec![("lot", lot.id.to_string().into()), ("type", lot.item_type.as_str().into()), ("item", lot.item_no.as_str().into())];
        if let Some(m) = markets {
            args.push(("markets", m.into()));
        }
        tf(key, &args)
    };
    let markets: Vec<&str> = lot.sync.iter().map(|s| s.marketplace.display_name()).collect();
    match markets.as_slice() {
        [] => what("inv-added", None),
        [one] => what("inv-added-one", Some(one.to_string())),
        many => what("inv-added-many", Some(super::words::and_list(&many.iter().map(|m| m.to_string()).collect::<Vec<_>>()))),
    }
}

/// Where a running import stands: `2,000 of 100,000 lots`.
pub fn import_progress(p: &ImportProgress) -> String {
    if p.total == 0 && p.done == 0 {
        return tf("inv-import-reading", &[("market", p.marketplace.display_name().into())]);
    }
    tf("inv-import-progress", &[("done", Value::from(p.done)), ("total", Value::from(p.total))])
}

/// What an import did, in one sentence.
pub fn import_report(provider: Provider, r: &ImportReport) -> String {
    tf(
        "inv-import-report",
        &[
            ("market", provider.display_name().into()),
            ("new", Value::from(r.new)),
            ("linked", Value::from(r.linked)),
            ("conflicting", Value::from(r.conflicting)),
            ("unchanged", Value::from(r.unchanged)),
        ],
    )
}

#[cfg(test)]
pub(super) mod tests {
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
            item_name: String::new(),
            color_name: String::new(),
            color_hex: String::new(),
            image_url: None,
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

    /// A lot with these sync rows (also the lots of `lot_form`'s and `drift`'s tests).
    pub(in crate::format) fn lot(id: i64, sync: &[(Provider, &str, Option<&str>)]) -> InventoryLot {
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
            item_name: String::new(),
            color_name: String::new(),
            color_hex: String::new(),
            image_url: None,
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
}
