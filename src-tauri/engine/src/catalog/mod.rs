//! The catalog cache: BrickLink's part data, colours and price guide kept locally and refreshed
//! by a rate-limited worker, and BrickOwl's ids (BOIDs) and colour map.
//!
//! May import: `gateway/`, `store/`, `marketplaces/`, the kernel and `base/`.

pub mod bricklink;
pub mod brickowl;
pub mod images;
