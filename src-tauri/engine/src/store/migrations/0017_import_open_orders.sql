-- A store's figures leave out the pieces of its own open orders (BrickLink holds 238 of a lot of
-- 250 once an order takes 12). An import takes those figures, so the orders open at that moment
-- are kept here (listed right after the store was read), and each lot the import linked says when
-- (`sync_state.imported_at`) and whether the import made it (`import_created`). Booking one of
-- those orders later (`orders::apply`) then neither lowers BrickDesk's record of that store again
-- nor, for a lot the import made, leaves the sold pieces out of the lot's quantity.
CREATE TABLE import_open_orders (
    marketplace TEXT NOT NULL,
    order_id    TEXT NOT NULL,   -- the marketplace's order id (orders.external_id)
    import_at   TEXT NOT NULL,   -- sync_state.imported_at of the lots that import linked
    PRIMARY KEY (marketplace, order_id, import_at)
) STRICT, WITHOUT ROWID;
ALTER TABLE sync_state ADD COLUMN imported_at TEXT;
ALTER TABLE sync_state ADD COLUMN import_created INTEGER NOT NULL DEFAULT 0;
