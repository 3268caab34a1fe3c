-- Inventory sync: every lot change reaches each marketplace that takes part in sync.
-- 1. The ledger groups the entries of one user action.
ALTER TABLE ledger ADD COLUMN correlation_id TEXT;

-- 2. Per lot and marketplace, what BrickDesk knows of the remote copy: the quantity for sale it
--    holds (as BrickDesk accounts for it: its own pushes and the marketplace's own orders), the
--    fields last pushed (JSON: price, location, description, condition) and a create whose
--    outcome is not known yet (the next attempt looks the lot up before creating it again).
ALTER TABLE sync_state ADD COLUMN remote_quantity INTEGER;
ALTER TABLE sync_state ADD COLUMN pushed TEXT;
ALTER TABLE sync_state ADD COLUMN creating_since TEXT;

-- 3. The outbox becomes one queue row per (lot, marketplace), due up to a ledger sequence number:
--    edits coalesce into one push of the lot's current state. Queue columns as queue.rs drives.
--    0001's outbox (one row per ledger entry) was never written by a worker; its rows carry over.
CREATE TABLE outbox_v2 (
    id              INTEGER PRIMARY KEY,
    inventory_id    INTEGER NOT NULL REFERENCES inventory (id),
    marketplace     TEXT    NOT NULL,
    due_seq         INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT,
    last_error      TEXT,
    lease_owner     TEXT,
    permanent       INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1)),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (inventory_id, marketplace)
) STRICT;
INSERT INTO outbox_v2 (inventory_id, marketplace, due_seq, created_at, updated_at)
    SELECT inventory_id, marketplace, max(ledger_seq), min(created_at), max(updated_at) FROM outbox GROUP BY inventory_id, marketplace;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (marketplace, status, next_attempt_at);

-- 4. A marketplace takes part in sync once its store was imported (linked): never before, so
--    BrickDesk cannot list duplicates of lots a store already has. Stores imported before this
--    version are linked already.
INSERT INTO settings (key, value)
    SELECT 'sync.linked.' || marketplace, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM sync_state GROUP BY marketplace;
