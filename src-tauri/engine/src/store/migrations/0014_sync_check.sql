-- The check after a push whose outcome was uncertain (`sync/round.rs`, `check`). A push that had
-- to read a lot back (a delta whose answer was lost, a push nudged by a sale) sets `verify`; once
-- the sales that read counted are booked and nothing is due, the next round reads the lot again
-- with the store's orders and compares it with the lot's available quantity. What a check (or the
-- drift check) found a store holding when that was not the available quantity is kept in
-- `store_off` until the seller settles it: `doctor` and the window's drift panel show it.
--
-- `sent_at`: when the last quantity delta was sent. A delta whose answer never came (lost, killed
-- mid-call) may still be carried out by the store a little later; the lot is not read back before
-- that has had time to happen (`Gateway::settle`), or the read would miss it and the delta would
-- be counted twice.
ALTER TABLE sync_state ADD COLUMN verify INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN sent_at TEXT;
ALTER TABLE sync_state ADD COLUMN store_off INTEGER;
