-- A storage quota per account, in bytes of live files in the namespaces it owns; NULL: none.
ALTER TABLE users ADD COLUMN quota_bytes BIGINT;
CREATE INDEX namespaces_by_owner ON namespaces (owner_id);
