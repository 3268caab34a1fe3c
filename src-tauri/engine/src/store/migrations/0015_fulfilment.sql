-- Fulfilment: one status for every order whatever its marketplace (`orders::fulfilment`), what
-- the seller set locally (tracking, carrier), and the changes on their way to the marketplace.
--
-- `fulfillment`: new (unpaid), paid, packed, shipped, completed, cancelled. Taken from the
-- marketplace's own status as orders are fetched, unless a local change is still on its way
-- (then the later of the two stands); filled for stored orders by fixup 15.
ALTER TABLE orders ADD COLUMN fulfillment TEXT NOT NULL DEFAULT 'paid'
    CHECK (fulfillment IN ('new', 'paid', 'packed', 'shipped', 'completed', 'cancelled'));
ALTER TABLE orders ADD COLUMN tracking_no TEXT;
ALTER TABLE orders ADD COLUMN tracking_url TEXT;
-- Allegro's carrier id (`GET /order/carriers`), and its name for `OTHER`.
ALTER TABLE orders ADD COLUMN carrier_id TEXT;
ALTER TABLE orders ADD COLUMN carrier_name TEXT;
CREATE INDEX orders_by_fulfillment ON orders (fulfillment, date_ordered DESC, id DESC);

-- The one queue's table for order changes (`store::queue`, `orders::fulfilment::QUEUE`): one row
-- per order, carrying what the marketplace is to hear (`want_*`, the order's tracking columns)
-- and what it has acknowledged (`sent`, JSON: status, paid, tracking, shipment). `rev` grows with
-- each local change, so a change made while a push is in flight is pushed again. A shipment POST
-- is not safe to repeat: `shipment_since` is written before it is sent, and a row found with it
-- reads the order's shipments before sending again. `sent` and the two markers are the pusher's
-- (`sync/fulfilment.rs`).
CREATE TABLE order_updates (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    marketplace     TEXT    NOT NULL,
    want_status     TEXT    CHECK (want_status IN ('packed', 'shipped')),
    want_paid       INTEGER NOT NULL DEFAULT 0 CHECK (want_paid IN (0, 1)),
    rev             INTEGER NOT NULL DEFAULT 1,
    sent            TEXT    NOT NULL DEFAULT '{}',
    shipment_since  TEXT,
    -- BrickLink's Drive Thru e-mail (a setting, off by default): written before it is sent, like
    -- `shipment_since`; a row found with it reads the order's `drive_thru_sent` first.
    drive_thru_since TEXT,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT,
    last_error      TEXT,
    lease_owner     TEXT,
    permanent       INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1)),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;
CREATE INDEX order_updates_due ON order_updates (marketplace, status, next_attempt_at);
