-- Allegro (issue #9).
-- 1. The marketplace's own id of an inbox row's event (Allegro's journals give one). The dedupe
--    key stays {account}:{type}:{resource id}:{occurredAt}.
ALTER TABLE inbox ADD COLUMN event_id TEXT;

-- 2. How the buyer gets the order (Allegro's delivery method; NULL where the marketplace says none).
ALTER TABLE orders ADD COLUMN delivery_method TEXT;

-- 3. Links the seller makes from an Allegro offer to a lot, for offers whose external.id (the
--    seller's signature) names no lot BrickDesk knows. Offer ids are unique across Allegro.
CREATE TABLE allegro_offer_links (
    offer_id     TEXT    PRIMARY KEY,
    inventory_id INTEGER NOT NULL REFERENCES inventory (id),
    linked_at    TEXT    NOT NULL
) STRICT;
CREATE INDEX allegro_offer_links_by_lot ON allegro_offer_links (inventory_id);
