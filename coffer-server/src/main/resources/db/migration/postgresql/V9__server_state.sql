-- What the server knows about itself. The epoch names this metadata's history: change feed
-- cursors carry it, and a backup's copy gets a new one, so a server restored from a backup is
-- told apart from the one its devices last spoke to and they start over instead of deleting.
CREATE TABLE server_state (
  id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  epoch TEXT    NOT NULL
);
INSERT INTO server_state (id, epoch) VALUES (1, md5(random()::text || clock_timestamp()::text));
