-- Every table is keyed first by namespace (or user) id so that it can be distributed by hash.
-- Times are milliseconds since the epoch; hashes are lowercase hex; ids are random text.

CREATE TABLE users (
  id            TEXT    NOT NULL PRIMARY KEY,
  username      TEXT    NOT NULL,
  username_key  TEXT    NOT NULL UNIQUE,
  password_hash TEXT    NOT NULL,
  admin         INTEGER NOT NULL,
  home_ns       TEXT    NOT NULL,
  created_at    BIGINT  NOT NULL
);

CREATE TABLE devices (
  id           TEXT   NOT NULL PRIMARY KEY,
  user_id      TEXT   NOT NULL REFERENCES users (id),
  name         TEXT   NOT NULL,
  token_hash   TEXT   NOT NULL UNIQUE,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at   BIGINT
);
CREATE INDEX devices_by_user ON devices (user_id);

CREATE TABLE namespaces (
  id         TEXT   NOT NULL PRIMARY KEY,
  owner_id   TEXT   NOT NULL REFERENCES users (id),
  root_id    TEXT   NOT NULL,
  last_seq   BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE nodes (
  ns_id        TEXT    NOT NULL REFERENCES namespaces (id),
  id           TEXT    NOT NULL PRIMARY KEY,
  parent_id    TEXT,
  name         TEXT    NOT NULL,
  name_key     TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  rev_id       TEXT,
  size         BIGINT  NOT NULL,
  content_hash TEXT,
  created_at   BIGINT  NOT NULL,
  modified_at  BIGINT  NOT NULL,
  deleted      INTEGER NOT NULL,
  deleted_at   BIGINT
);
-- Live siblings never share a case-insensitive name; trashed nodes do not count.
CREATE UNIQUE INDEX nodes_live_name ON nodes (ns_id, parent_id, name_key) WHERE deleted = 0;
CREATE INDEX nodes_by_parent ON nodes (ns_id, parent_id);

CREATE TABLE revisions (
  ns_id        TEXT   NOT NULL REFERENCES namespaces (id),
  id           TEXT   NOT NULL PRIMARY KEY,
  node_id      TEXT   NOT NULL,
  size         BIGINT NOT NULL,
  content_hash TEXT   NOT NULL,
  device_id    TEXT,
  created_at   BIGINT NOT NULL
);
CREATE INDEX revisions_by_node ON revisions (ns_id, node_id);

CREATE TABLE revision_chunks (
  rev_id     TEXT    NOT NULL,
  idx        INTEGER NOT NULL,
  chunk_hash TEXT    NOT NULL,
  length     INTEGER NOT NULL,
  PRIMARY KEY (rev_id, idx)
);
CREATE INDEX revision_chunks_by_hash ON revision_chunks (chunk_hash);

CREATE TABLE journal (
  ns_id   TEXT   NOT NULL REFERENCES namespaces (id),
  seq     BIGINT NOT NULL,
  node_id TEXT   NOT NULL,
  op      TEXT   NOT NULL,
  rev_id  TEXT,
  path    TEXT   NOT NULL,
  at      BIGINT NOT NULL,
  PRIMARY KEY (ns_id, seq)
);
