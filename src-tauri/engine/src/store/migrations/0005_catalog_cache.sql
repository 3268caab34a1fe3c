-- The catalog cache and its refresh queue, as the catalog drawer uses them.
-- catalog_refresh was created in 0001 but never written: it is rebuilt with the queue columns
-- (queue.rs), a priority (1 = the seller is looking, 0 = background) and the kinds of work:
-- `item`, `colors` (the item's known colours), `color_list` (every colour; item fields empty) and
-- `price` (the four guides of one colour: sold/stock × new/used).
DROP TABLE catalog_refresh;
CREATE TABLE catalog_refresh (
    id              INTEGER PRIMARY KEY,
    what            TEXT    NOT NULL CHECK (what IN ('item', 'colors', 'color_list', 'price')),
    item_type       TEXT    NOT NULL,
    item_no         TEXT    NOT NULL,
    color_id        INTEGER NOT NULL DEFAULT 0,
    priority        INTEGER NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT,
    last_error      TEXT,
    lease_owner     TEXT,
    permanent       INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1)),
    requested_at    TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (what, item_type, item_no, color_id)
) STRICT;
CREATE INDEX catalog_refresh_due ON catalog_refresh (status, priority DESC, requested_at);

-- An item's known colours as one fetched list (an empty list is an answer too).
CREATE TABLE catalog_item_color_lists (
    item_type  TEXT NOT NULL,
    item_no    TEXT NOT NULL,
    payload    TEXT NOT NULL,                          -- JSON [[color_id, quantity], ...]
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (item_type, item_no)
) STRICT;

-- What the seller looked up, newest first on the Catalog page.
CREATE TABLE catalog_lookups (
    item_type    TEXT    NOT NULL,
    item_no      TEXT    NOT NULL,
    looked_up_at TEXT    NOT NULL,
    PRIMARY KEY (item_type, item_no)
) STRICT;
CREATE INDEX catalog_lookups_recent ON catalog_lookups (looked_up_at);
