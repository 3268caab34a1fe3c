-- The bin an order line itself named (BrickLink's lot remarks), kept apart from `location`, which
-- shows where the line will be picked from (the matched lot's bin, or UNKNOWN). A line that found
-- no lot when it arrived is matched later against this bin, not against any lot of the part.
ALTER TABLE order_items ADD COLUMN wanted_location TEXT;
