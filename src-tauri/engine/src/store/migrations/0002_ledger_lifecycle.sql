-- Reservations follow an order's life: `adjust` (line quantity changed while open), `release`
-- (cancelled, or the line was removed) and `ship` (fulfilled: the pieces leave the shelf).
-- Only the first `reserve` per order line is unique now; later changes are differences from the
-- line's current net reservation, computed in the same transaction.
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt (outbox rows reference it by
-- seq, which is kept). The migration runner turns foreign keys off around every migration and
-- runs `PRAGMA foreign_key_check` before committing, as SQLite's table-rebuild procedure says.

CREATE TABLE ledger_v2 (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    inventory_id   INTEGER NOT NULL REFERENCES inventory (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('create', 'update', 'delete', 'reserve', 'adjust', 'release', 'ship', 'pick')),
    quantity_delta INTEGER NOT NULL DEFAULT 0,
    reserved_delta INTEGER NOT NULL DEFAULT 0,
    order_item_id  INTEGER REFERENCES order_items (id),
    detail         TEXT,
    created_at     TEXT    NOT NULL
) STRICT;

INSERT INTO ledger_v2 (seq, inventory_id, kind, quantity_delta, reserved_delta, order_item_id, detail, created_at)
    SELECT seq, inventory_id, kind, quantity_delta, reserved_delta, order_item_id, detail, created_at FROM ledger;

DROP TABLE ledger;
ALTER TABLE ledger_v2 RENAME TO ledger;

CREATE UNIQUE INDEX ledger_first_reserve ON ledger (order_item_id) WHERE kind = 'reserve';
CREATE INDEX ledger_by_line ON ledger (order_item_id) WHERE order_item_id IS NOT NULL;
CREATE INDEX ledger_by_lot ON ledger (inventory_id, seq);
