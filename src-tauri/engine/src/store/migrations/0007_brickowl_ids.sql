-- BrickOwl names items by BOID, BrickDesk by BrickLink number: the BOID of each BrickLink item,
-- found once (catalog/id_lookup, or an imported BrickOwl lot that lists its BrickLink number)
-- and kept, so a push never asks BrickOwl twice for the same item. `boid` is the base BOID
-- (without a colour suffix).
CREATE TABLE brickowl_ids (
    item_type  TEXT NOT NULL,
    item_no    TEXT NOT NULL,
    boid       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (item_type, item_no)
) STRICT;
-- The import reads it the other way round: a BrickOwl lot whose BrickLink number BrickOwl did
-- not list.
CREATE INDEX brickowl_ids_boid ON brickowl_ids (boid);
