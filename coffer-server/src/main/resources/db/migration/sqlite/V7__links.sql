-- Public links: whoever holds a link's token may read the linked file or folder without an
-- account. Only the token's SHA-256 is stored (UNIQUE, which is also the index a visit looks it up
-- by), and the password's Argon2id hash when there is one. A revoked link stays, marked, so its id
-- keeps answering "not found" rather than ever meaning something else.
CREATE TABLE links (
  ns_id         TEXT   NOT NULL REFERENCES namespaces (id),
  id            TEXT   NOT NULL,
  node_id       TEXT   NOT NULL,
  token_hash    TEXT   NOT NULL UNIQUE,
  created_by    TEXT   NOT NULL REFERENCES users (id),
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT,
  password_hash TEXT,
  revoked_at    BIGINT,
  PRIMARY KEY (ns_id, id)
);
-- A file's links, for its owner's list.
CREATE INDEX links_by_node ON links (ns_id, node_id);
-- Revoking names only the link id (the caller may not know the namespace).
CREATE UNIQUE INDEX links_by_id ON links (id);
