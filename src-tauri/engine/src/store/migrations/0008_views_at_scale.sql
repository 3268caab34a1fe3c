-- The inventory and orders views at 100,000 lots and 20,000 orders (browse.rs): every filter and
-- sort the views offer has an index, so a page and its count never scan and sort the table.
-- Text filters are case-insensitive prefixes, answered as NOCASE ranges on NOCASE indexes.
-- Live lots only (the views never show deleted ones); the lot id breaks ties for stable pages.
CREATE INDEX inventory_by_location ON inventory (location COLLATE NOCASE, id) WHERE deleted_at IS NULL;
CREATE INDEX inventory_by_item ON inventory (item_no COLLATE NOCASE, id) WHERE deleted_at IS NULL;
CREATE INDEX inventory_by_color ON inventory (color_id, id) WHERE deleted_at IS NULL;
CREATE INDEX inventory_by_condition ON inventory (condition, id) WHERE deleted_at IS NULL;
CREATE INDEX inventory_by_quantity ON inventory (quantity, id) WHERE deleted_at IS NULL;
CREATE INDEX inventory_by_available ON inventory ((quantity - reserved), id) WHERE deleted_at IS NULL;
CREATE INDEX inventory_by_price ON inventory (unit_price_e4, id) WHERE deleted_at IS NULL;
CREATE INDEX catalog_items_by_name ON catalog_items (name COLLATE NOCASE);
-- The sync-status filters (pending / failed) look lots up by their queue state.
CREATE INDEX outbox_by_status ON outbox (status, inventory_id);

CREATE INDEX orders_by_status ON orders (status, date_ordered);
CREATE INDEX orders_by_marketplace ON orders (marketplace, date_ordered);
CREATE INDEX orders_by_buyer ON orders (buyer_name COLLATE NOCASE);
CREATE INDEX orders_by_total ON orders (grand_total_e4);
CREATE INDEX orders_by_external ON orders (external_id);
