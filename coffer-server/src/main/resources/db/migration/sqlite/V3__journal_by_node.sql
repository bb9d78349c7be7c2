-- A file's or folder's history (GET /files/{id}/changes) reads the journal by node.
CREATE INDEX journal_by_node ON journal (ns_id, node_id, seq);
