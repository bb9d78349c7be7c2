-- Each journal entry names the node's parent at the time of the change, so a device can rebuild
-- the tree by stable ids from the feed alone (older entries have none).
ALTER TABLE journal ADD COLUMN parent_id TEXT;
