-- Which chunks each user has uploaded or committed: "which chunks are missing" answers only from
-- these, so nobody learns whether another user holds some content.
CREATE TABLE user_chunks (
  user_id    TEXT    NOT NULL REFERENCES users (id),
  chunk_hash TEXT    NOT NULL,
  length     INTEGER NOT NULL,
  created_at BIGINT  NOT NULL,
  PRIMARY KEY (user_id, chunk_hash)
);
CREATE INDEX user_chunks_by_hash ON user_chunks (chunk_hash);

-- Chunked upload sessions: they survive restarts, expire when abandoned, and protect their chunks
-- from garbage collection while they live.
CREATE TABLE uploads (
  user_id       TEXT    NOT NULL REFERENCES users (id),
  id            TEXT    NOT NULL PRIMARY KEY,
  path          TEXT,
  parent_id     TEXT,
  name          TEXT,
  overwrite     INTEGER NOT NULL,
  base_revision TEXT,
  created_at    BIGINT  NOT NULL,
  expires_at    BIGINT  NOT NULL
);
CREATE INDEX uploads_by_user ON uploads (user_id);
CREATE INDEX uploads_by_expiry ON uploads (expires_at);

CREATE TABLE upload_chunks (
  upload_id  TEXT    NOT NULL,
  idx        INTEGER NOT NULL,
  chunk_hash TEXT    NOT NULL,
  length     INTEGER NOT NULL,
  PRIMARY KEY (upload_id, idx)
);
CREATE INDEX upload_chunks_by_hash ON upload_chunks (chunk_hash);
