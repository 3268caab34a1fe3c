//! The Rust steps of the SQL migrations (`store/migrations/`), handed to the store, and
//! `Store::open`, which always passes them. They are domain code (an order's phase and marker, an
//! offer's signature, Allegro's holds): the store below never names a domain folder.

use std::path::Path;

use crate::error::Result;
use crate::store::{Schema, Store};
use crate::{allegro, orders};

/// The one list of Rust steps, by migration version (fixups) and by name (steps).
pub const SCHEMA: Schema = Schema {
    fixups: &[
        (4, orders::apply::backfill_phase_and_marker),
        (11, allegro::offers::backfill_signature_keys),
        (15, orders::fulfilment::backfill),
    ],
    steps: &[("allegro_holds", allegro::offers::requeue_allegro_holds)],
};

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date,
    /// Rust steps included.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, &SCHEMA)
    }
}
