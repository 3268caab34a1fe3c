-- The sales a quantity read back from a marketplace already counts. When what a store holds of a
-- lot is unknown (a delta whose answer was lost, a push nudged by an order booked meanwhile), the
-- next push reads the lot back together with the store's order list, taken before and after the
-- read (`sync/round.rs`, `learned`); the listed orders BrickDesk has not booked yet are kept here,
-- so booking one later takes nothing off the figure a second time
-- (`stock::outbox::record_marketplace_sale`). Replaced by the next read of the lot; an order's
-- rows go once it is booked.
CREATE TABLE sync_counted_sales (
    inventory_id INTEGER NOT NULL REFERENCES inventory (id),
    marketplace  TEXT    NOT NULL,
    order_id     TEXT    NOT NULL,   -- the marketplace's order id (orders.external_id)
    PRIMARY KEY (inventory_id, marketplace, order_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX sync_counted_sales_order ON sync_counted_sales (marketplace, order_id);
