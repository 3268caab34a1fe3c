-- Queue hardening and short transactions.
-- 1. Every queue table (inbox, outbox, catalog_refresh) gets the columns the one queue module
--    (queue.rs) drives: who holds a claim (`lease_owner`, so recovery can tell a live holder from a
--    dead one) and whether a failure can never go away by itself (`permanent`: not re-armed when
--    the work is asked for again, only by the seller's retry).
ALTER TABLE inbox ADD COLUMN lease_owner TEXT;
ALTER TABLE inbox ADD COLUMN permanent INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1));
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN permanent INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1));
ALTER TABLE catalog_refresh ADD COLUMN lease_owner TEXT;
ALTER TABLE catalog_refresh ADD COLUMN permanent INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1));
-- Failures of malformed notifications stored before this version can never succeed.
UPDATE inbox SET permanent = 1 WHERE status = 'failed' AND last_error LIKE 'malformed notification:%';

-- 2. What reconciliation and re-matching query, in columns instead of parsed out of `raw` for
--    every stored order: the order's phase (open / fulfilled / cancelled) and its change marker
--    (BrickLink `<date_status_changed>|<status>`, BrickOwl `status-<status_id>`). Filled for
--    existing rows by the migration's Rust step (store/mod.rs), which knows each marketplace's
--    statuses.
ALTER TABLE orders ADD COLUMN phase TEXT NOT NULL DEFAULT 'open' CHECK (phase IN ('open', 'fulfilled', 'cancelled'));
ALTER TABLE orders ADD COLUMN marker TEXT NOT NULL DEFAULT '';

-- 3. Indexes for the queries that run on every poll or stock change.
CREATE INDEX inbox_by_order ON inbox (marketplace, account, resource_id) WHERE kind = 'order';
CREATE INDEX order_items_waiting ON order_items (item_no, color_id, condition) WHERE inventory_id IS NULL AND quantity > 0;
CREATE INDEX sync_state_remote ON sync_state (marketplace, remote_id);
