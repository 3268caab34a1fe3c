-- BrickDesk schema v1. Append-only: never edit a shipped migration, add 0002_… instead.
-- Conventions: timestamps are RFC 3339 UTC text with milliseconds (text order = time order);
-- money is INTEGER ten-thousandths of the currency unit (*_e4), never floating point;
-- queues (inbox, outbox, catalog_refresh) carry status, attempts, next_attempt_at, last_error.

-- Small key/value settings (poll interval, demo mode, ...). Never credentials.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Inbox: every notification/event fetched from a marketplace, stored before it is processed.
CREATE TABLE inbox (
    id              INTEGER PRIMARY KEY,
    dedupe_key      TEXT    NOT NULL UNIQUE,          -- {account}:{event_type}:{resource_id}:{timestamp}
    marketplace     TEXT    NOT NULL,
    account         TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,                 -- as the marketplace spelled it
    kind            TEXT    NOT NULL CHECK (kind IN ('order', 'message', 'feedback', 'unknown')),
    resource_id     TEXT    NOT NULL,
    occurred_at     TEXT    NOT NULL,
    payload         TEXT    NOT NULL,                 -- the raw JSON entry
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'stored')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT,
    last_error      TEXT,
    received_at     TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;
CREATE INDEX inbox_due ON inbox (status, next_attempt_at);

-- Inventory lots as the seller keeps them locally. reserved <= quantity is not enforced: an
-- oversold lot must still record the reservation so the seller sees the shortfall.
CREATE TABLE inventory (
    id            INTEGER PRIMARY KEY,
    item_no       TEXT    NOT NULL,                   -- free-form (BrickLink numbers are strings)
    item_type     TEXT    NOT NULL,                   -- PART, SET, MINIFIG, ...
    color_id      INTEGER NOT NULL CHECK (color_id >= 0),
    condition     TEXT    NOT NULL CHECK (condition IN ('N', 'U')),
    completeness  TEXT,
    location      TEXT    NOT NULL DEFAULT '',
    quantity      INTEGER NOT NULL CHECK (quantity >= 0),
    reserved      INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    unit_price_e4 INTEGER NOT NULL CHECK (unit_price_e4 >= 0),
    currency      TEXT    NOT NULL DEFAULT 'USD',
    description   TEXT    NOT NULL DEFAULT '',
    deleted_at    TEXT,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
) STRICT;
CREATE INDEX inventory_match ON inventory (item_no, color_id, condition, location);

-- Orders from every marketplace; external_id is the marketplace's own order number.
CREATE TABLE orders (
    id                  INTEGER PRIMARY KEY,
    marketplace         TEXT    NOT NULL,
    account             TEXT    NOT NULL,
    external_id         TEXT    NOT NULL,
    status              TEXT    NOT NULL,             -- open enum: unknown statuses are kept verbatim
    buyer_name          TEXT    NOT NULL,
    date_ordered        TEXT    NOT NULL,
    date_status_changed TEXT,
    currency            TEXT    NOT NULL,
    subtotal_e4         INTEGER NOT NULL,
    grand_total_e4      INTEGER NOT NULL,
    total_count         INTEGER NOT NULL,
    unique_count        INTEGER NOT NULL,
    is_new              INTEGER NOT NULL DEFAULT 1 CHECK (is_new IN (0, 1)),
    raw                 TEXT    NOT NULL,             -- the order JSON as fetched
    first_seen_at       TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    UNIQUE (marketplace, account, external_id)
) STRICT;
CREATE INDEX orders_by_date ON orders (date_ordered);

CREATE TABLE order_items (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_key      TEXT    NOT NULL,                   -- the marketplace's identity of the line
    batch         INTEGER NOT NULL DEFAULT 0,
    item_no       TEXT    NOT NULL,
    item_type     TEXT    NOT NULL,
    item_name     TEXT    NOT NULL DEFAULT '',
    color_id      INTEGER NOT NULL,
    color_name    TEXT    NOT NULL DEFAULT '',
    condition     TEXT    NOT NULL CHECK (condition IN ('N', 'U')),
    quantity      INTEGER NOT NULL CHECK (quantity >= 0),
    unit_price_e4 INTEGER NOT NULL,
    location      TEXT    NOT NULL DEFAULT 'UNKNOWN',
    remote_lot_id TEXT,                               -- the marketplace lot the line came from
    inventory_id  INTEGER REFERENCES inventory (id),
    pick_status   TEXT    NOT NULL DEFAULT 'unpicked' CHECK (pick_status IN ('unpicked', 'picked', 'missing')),
    UNIQUE (order_id, line_key)
) STRICT;

-- Ledger: every change to a lot's quantity or reservation, in sequence. The unique index makes a
-- second reservation of the same order line impossible, whatever re-processing happens.
CREATE TABLE ledger (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    inventory_id   INTEGER NOT NULL REFERENCES inventory (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('create', 'update', 'delete', 'reserve', 'release', 'pick')),
    quantity_delta INTEGER NOT NULL DEFAULT 0,
    reserved_delta INTEGER NOT NULL DEFAULT 0,
    order_item_id  INTEGER REFERENCES order_items (id),
    detail         TEXT,                              -- JSON of the fields changed
    created_at     TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX ledger_once_per_line ON ledger (order_item_id, kind) WHERE order_item_id IS NOT NULL;

-- Per lot and marketplace: where the remote copy stands.
CREATE TABLE sync_state (
    inventory_id  INTEGER NOT NULL REFERENCES inventory (id),
    marketplace   TEXT    NOT NULL,
    remote_id     TEXT,
    status        TEXT    NOT NULL CHECK (status IN ('pending', 'synced', 'failed')),
    synced_seq    INTEGER,                            -- last ledger seq the remote reflects
    last_error    TEXT,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (inventory_id, marketplace)
) STRICT;

-- Outbox: one row per (ledger entry, marketplace) to push.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    marketplace     TEXT    NOT NULL,
    inventory_id    INTEGER NOT NULL REFERENCES inventory (id),
    ledger_seq      INTEGER NOT NULL REFERENCES ledger (seq),
    op              TEXT    NOT NULL CHECK (op IN ('create', 'update', 'delete')),
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (ledger_seq, marketplace)
) STRICT;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Catalog cache (BrickLink). fetched_at older than 30 days = stale.
CREATE TABLE catalog_items (
    item_type  TEXT NOT NULL,
    item_no    TEXT NOT NULL,
    name       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (item_type, item_no)
) STRICT;

CREATE TABLE catalog_colors (
    color_id   INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    hex        TEXT NOT NULL DEFAULT '',
    color_type TEXT NOT NULL DEFAULT '',
    fetched_at TEXT NOT NULL
) STRICT;

CREATE TABLE catalog_item_colors (
    item_type  TEXT    NOT NULL,
    item_no    TEXT    NOT NULL,
    color_id   INTEGER NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 0,
    fetched_at TEXT    NOT NULL,
    PRIMARY KEY (item_type, item_no, color_id)
) STRICT;

-- Price guide numbers mean nothing without their query: every parameter is part of the key.
CREATE TABLE price_guides (
    item_type   TEXT    NOT NULL,
    item_no     TEXT    NOT NULL,
    color_id    INTEGER NOT NULL,
    guide_type  TEXT    NOT NULL CHECK (guide_type IN ('stock', 'sold')),
    new_or_used TEXT    NOT NULL CHECK (new_or_used IN ('N', 'U')),
    currency    TEXT    NOT NULL,
    region      TEXT    NOT NULL DEFAULT '',
    vat         TEXT    NOT NULL DEFAULT 'N',
    payload     TEXT    NOT NULL,
    fetched_at  TEXT    NOT NULL,
    PRIMARY KEY (item_type, item_no, color_id, guide_type, new_or_used, currency, region, vat)
) STRICT;

CREATE TABLE catalog_refresh (
    id              INTEGER PRIMARY KEY,
    item_type       TEXT    NOT NULL,
    item_no         TEXT    NOT NULL,
    color_id        INTEGER NOT NULL DEFAULT 0,
    what            TEXT    NOT NULL CHECK (what IN ('item', 'colors', 'price')),
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT,
    requested_at    TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (item_type, item_no, color_id, what)
) STRICT;

-- Poll cursors and schedule per marketplace account and stream (notifications, order list,
-- Allegro order events, ...). A cursor is written only after the page's effects are committed.
CREATE TABLE poll_cursors (
    marketplace  TEXT NOT NULL,
    account      TEXT NOT NULL,
    stream       TEXT NOT NULL,
    cursor       TEXT,
    last_poll_at TEXT,
    last_ok_at   TEXT,
    next_poll_at TEXT,
    last_error   TEXT,
    PRIMARY KEY (marketplace, account, stream)
) STRICT;

-- Every marketplace call made, for the rolling 24 h budget (pruned as it rolls).
CREATE TABLE api_calls (
    id          INTEGER PRIMARY KEY,
    marketplace TEXT NOT NULL,
    account     TEXT NOT NULL,
    purpose     TEXT NOT NULL,                        -- orders, inventory, catalog
    at          TEXT NOT NULL
) STRICT;
CREATE INDEX api_calls_window ON api_calls (marketplace, account, at);

-- OAuth 1.0a timestamps must never repeat per token, even across processes.
CREATE TABLE oauth_clock (
    account        TEXT    PRIMARY KEY,
    last_timestamp INTEGER NOT NULL
) STRICT;
