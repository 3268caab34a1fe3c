-- Allegro offers (issue #9).
-- 1. The inbox learns a fourth processed kind, 'offer' (Allegro's offer journal: each event is a
--    row, processed by fetching the offer). SQLite cannot change a CHECK in place, so the table is
--    rebuilt the documented way (foreign keys are off during migrations; nothing references it).
--    `note` says what processing concluded when that is worth keeping (an offer event that was
--    BrickDesk's own stock push coming back).
CREATE TABLE inbox_v10 (
    id              INTEGER PRIMARY KEY,
    dedupe_key      TEXT    NOT NULL UNIQUE,          -- {account}:{event_type}:{resource_id}:{timestamp}
    marketplace     TEXT    NOT NULL,
    account         TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,                 -- as the marketplace spelled it
    kind            TEXT    NOT NULL CHECK (kind IN ('order', 'offer', 'message', 'feedback', 'unknown')),
    resource_id     TEXT    NOT NULL,
    occurred_at     TEXT    NOT NULL,
    payload         TEXT    NOT NULL,                 -- the raw JSON entry
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'stored')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT,
    last_error      TEXT,
    received_at     TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    lease_owner     TEXT,
    permanent       INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1)),
    event_id        TEXT,
    note            TEXT
) STRICT;
INSERT INTO inbox_v10 (id, dedupe_key, marketplace, account, event_type, kind, resource_id, occurred_at, payload, status, attempts,
                       next_attempt_at, last_error, received_at, updated_at, lease_owner, permanent, event_id)
    SELECT id, dedupe_key, marketplace, account, event_type, kind, resource_id, occurred_at, payload, status, attempts,
           next_attempt_at, last_error, received_at, updated_at, lease_owner, permanent, event_id
    FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_v10 RENAME TO inbox;
CREATE INDEX inbox_due ON inbox (status, next_attempt_at);
CREATE INDEX inbox_by_order ON inbox (marketplace, account, resource_id) WHERE kind = 'order';
CREATE INDEX inbox_by_offer ON inbox (marketplace, account, resource_id) WHERE kind = 'offer';

-- 2. The seller's Allegro offers as the offer journal and `GET /sale/product-offers/{id}` tell
--    them (name, price, stock, status, signature). Allegro's copy, never a lot's: local stock is
--    the master, an offer's stock changes no lot. `price_e4` is ten-thousandths of `currency`;
--    NULL (with `stock_available`, `fetched_at`) until the offer was fetched.
CREATE TABLE allegro_offers (
    offer_id        TEXT    PRIMARY KEY,
    account         TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    price_e4        INTEGER,
    currency        TEXT,
    stock_available INTEGER,
    status          TEXT    NOT NULL,                 -- ACTIVE, ACTIVATING, ENDED, INACTIVE, ARCHIVED, … (kept open)
    external_id     TEXT,                             -- the seller's signature (external.id)
    fetched_at      TEXT,
    updated_at      TEXT    NOT NULL
) STRICT;
CREATE INDEX allegro_offers_by_name ON allegro_offers (name, offer_id);
CREATE INDEX allegro_offers_by_external ON allegro_offers (external_id) WHERE external_id IS NOT NULL;
