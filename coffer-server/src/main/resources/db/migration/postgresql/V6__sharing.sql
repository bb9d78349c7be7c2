-- Sharing. A shared folder is a namespace of its own; each member sees it through a mount: a
-- folder node in the member's home whose mount_ns names the shared namespace.
ALTER TABLE nodes ADD COLUMN mount_ns TEXT;

-- Whether the owner lets editors share the namespace further.
ALTER TABLE namespaces ADD COLUMN editors_can_share INTEGER NOT NULL DEFAULT 0;

-- Who may see a shared namespace, with which role (owner, editor, viewer), and where it is
-- mounted in their home. Keyed first by namespace so it distributes with the namespace.
CREATE TABLE members (
  ns_id      TEXT   NOT NULL REFERENCES namespaces (id),
  user_id    TEXT   NOT NULL REFERENCES users (id),
  role       TEXT   NOT NULL,
  mount_id   TEXT,
  added_by   TEXT   NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (ns_id, user_id)
);
CREATE INDEX members_by_user ON members (user_id);

-- Single files shared with people: "shared with me" is a lookup by user.
CREATE TABLE shared_files (
  user_id    TEXT   NOT NULL REFERENCES users (id),
  node_id    TEXT   NOT NULL,
  ns_id      TEXT   NOT NULL,
  role       TEXT   NOT NULL,
  added_by   TEXT   NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, node_id)
);
CREATE INDEX shared_files_by_node ON shared_files (node_id);
