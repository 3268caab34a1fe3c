-- What each Allegro offer's signature (`external.id`) names, read once by the same lenient rule
-- order lines follow (`convert::signature_hint`: spaces, capitals, leading zeros): a BrickDesk lot
-- (`bd-<id>`, a bare id) or a BrickLink lot (`bl-<id>`). The stock push looks a lot's offers up by
-- these; it used to compare `external_id` with a few exact spellings, so an offer signed `BD-042`
-- got the lot's orders but never its stock. Filled for existing rows by the migration's Rust step
-- (`allegro_offers::backfill_signature_keys`).
ALTER TABLE allegro_offers ADD COLUMN signature_lot INTEGER;
ALTER TABLE allegro_offers ADD COLUMN signature_bl_lot TEXT;
DROP INDEX allegro_offers_by_external;
CREATE INDEX allegro_offers_by_signature_lot ON allegro_offers (signature_lot) WHERE signature_lot IS NOT NULL;
CREATE INDEX allegro_offers_by_signature_bl_lot ON allegro_offers (signature_bl_lot) WHERE signature_bl_lot IS NOT NULL;
