-- A push row asked to run once more after the push in flight, for a change that writes no ledger
-- entry (so `due_seq` cannot rise): an Allegro purchase became unpaid or stopped being so while
-- the lot's stock was on its way to the offer, computed before it (`sync_allegro::offer_stock_unknown`).
-- The round that claimed the row reads the count and re-arms the row if it grew meanwhile.
ALTER TABLE outbox ADD COLUMN nudges INTEGER NOT NULL DEFAULT 0;

-- Once every migration is applied (`store::STEPS`), `allegro_offers::requeue_allegro_holds`: unpaid
-- Allegro purchases stored before are counted by lot now and their offers set again; one whose
-- form says its fulfillment was cancelled is stored as cancelled; offers whose loosely typed
-- signature migration 11 newly read get their lot's stock.
INSERT INTO settings (key, value) VALUES ('migration.step.allegro_holds', '12') ON CONFLICT (key) DO NOTHING;
