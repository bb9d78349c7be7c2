-- Operations applied through batch commits, by the client's operation id: a retried operation is
-- answered from here instead of being applied twice. Kept a week, then cleared.
CREATE TABLE applied_ops (
  user_id    TEXT   NOT NULL REFERENCES users (id),
  op_id      TEXT   NOT NULL,
  node_id    TEXT   NOT NULL,
  status     INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, op_id)
);
CREATE INDEX applied_ops_by_time ON applied_ops (created_at);

-- Where each device has read the change feed up to (the cursor it last presented), and when.
ALTER TABLE devices ADD COLUMN cursor TEXT;
ALTER TABLE devices ADD COLUMN cursor_at BIGINT;

-- Retention finds old revisions per node and old trash by deletion time.
CREATE INDEX revisions_by_time ON revisions (created_at);
CREATE INDEX nodes_trashed ON nodes (deleted_at) WHERE deleted = 1;
