//! Which lot an order line or an Allegro offer names: the one rule both follow (a lot the
//! marketplace names by id first, then item + colour + condition, preferring the line's
//! location).

use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::Result;
use crate::marketplaces::types::{LotHint, RemoteLine};
use crate::store;

pub(crate) fn find_lot(tx: &Transaction<'_>, line: &RemoteLine) -> Result<Option<i64>> {
    if let Some(lot) = lot_by_hints(tx, &line.lot_hints)? {
        return Ok(Some(lot));
    }
    let Some(color) = line.color_id else { return Ok(None) };
    best_lot(tx, &line.item_no, color, line.condition.as_str(), line.location.as_deref())
}

/// The lot a line's hints name directly (strongest first), if any.
pub(crate) fn lot_by_hints(tx: &Transaction<'_>, hints: &[LotHint]) -> Result<Option<i64>> {
    Ok(lot_and_hint(tx, hints)?.map(|(lot, _)| lot))
}

/// [`lot_by_hints`] on any connection, with the hint that named the lot (the offers list says
/// how an offer is linked).
pub(crate) fn lot_and_hint<'h>(tx: &rusqlite::Connection, hints: &'h [LotHint]) -> Result<Option<(i64, &'h LotHint)>> {
    for hint in hints {
        let found: Option<i64> = match hint {
            LotHint::Local(id) => {
                store::row(tx, "SELECT id FROM inventory WHERE id = ?1 AND deleted_at IS NULL", [id], |r| r.get(0)).optional()?
            }
            LotHint::BricklinkLot(remote) | LotHint::BrickowlLot(remote) => {
                let market = if matches!(hint, LotHint::BricklinkLot(_)) { "bricklink" } else { "brickowl" };
                store::row(
                    tx,
                    "SELECT s.inventory_id FROM sync_state s JOIN inventory i ON i.id = s.inventory_id
                     WHERE s.marketplace = ?1 AND s.remote_id = ?2 AND i.deleted_at IS NULL",
                    params![market, remote],
                    |r| r.get(0),
                )
                .optional()?
            }
            // The seller's own link first, then the lot sync lists the offer for.
            LotHint::AllegroOffer(offer) => store::row(
                tx,
                "SELECT l.inventory_id FROM allegro_offer_links l JOIN inventory i ON i.id = l.inventory_id
                 WHERE l.offer_id = ?1 AND i.deleted_at IS NULL
                 UNION ALL
                 SELECT s.inventory_id FROM sync_state s JOIN inventory i ON i.id = s.inventory_id
                 WHERE s.marketplace = 'allegro' AND s.remote_id = ?1 AND i.deleted_at IS NULL
                 LIMIT 1",
                [offer],
                |r| r.get(0),
            )
            .optional()?,
        };
        if let Some(lot) = found {
            return Ok(Some((lot, hint)));
        }
    }
    Ok(None)
}

/// The lot of this item, colour and condition (and location, if given) with the most available
/// stock, so a reservation lands where it can be picked.
pub(crate) fn best_lot(tx: &Transaction<'_>, item_no: &str, color: i64, condition: &str, location: Option<&str>) -> Result<Option<i64>> {
    Ok(store::row(
        tx,
        "SELECT id FROM inventory
             WHERE deleted_at IS NULL AND item_no = ?1 AND color_id = ?2 AND condition = ?3
               AND (?4 IS NULL OR location = ?4)
             ORDER BY quantity - reserved DESC, id LIMIT 1",
        params![item_no, color, condition, location],
        |r| r.get(0),
    )
    .optional()?)
}
