package coffer.server.metadata.jdbc;

import coffer.core.model.JournalEntry;
import coffer.core.model.JournalOp;
import coffer.server.metadata.JournalRecords;
import java.util.List;
import org.jdbi.v3.core.Handle;

final class JdbiJournalRecords implements JournalRecords {

  private final Handle handle;

  JdbiJournalRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void append(JournalEntry entry) {
    handle
        .createUpdate(
            "INSERT INTO journal (ns_id, seq, node_id, op, rev_id, path, at, parent_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, entry.namespaceId())
        .bind(1, entry.seq())
        .bind(2, entry.nodeId())
        .bind(3, entry.op().name())
        .bind(4, entry.revisionId())
        .bind(5, entry.path())
        .bind(6, entry.at().toEpochMilli())
        .bind(7, entry.parentId())
        .execute();
  }

  @Override
  public List<JournalEntry> after(String namespaceId, long afterSeq, int limit) {
    return handle
        .createQuery("SELECT * FROM journal WHERE ns_id = ? AND seq > ? ORDER BY seq LIMIT ?")
        .bind(0, namespaceId)
        .bind(1, afterSeq)
        .bind(2, limit)
        .map(ENTRY)
        .list();
  }

  @Override
  public List<FeedEntry> feedAfter(String namespaceId, long afterSeq, int limit) {
    return handle
        .createQuery(
            "SELECT j.*, n.kind AS node_kind, n.ns_id AS node_ns, n.mount_ns AS node_mount,"
                + " r.content_hash AS rev_hash, r.size AS rev_size"
                + " FROM journal j LEFT JOIN nodes n ON n.id = j.node_id"
                + " LEFT JOIN revisions r ON r.id = j.rev_id"
                + " WHERE j.ns_id = ? AND j.seq > ? ORDER BY j.seq LIMIT ?")
        .bind(0, namespaceId)
        .bind(1, afterSeq)
        .bind(2, limit)
        .map(
            (rs, ctx) ->
                new FeedEntry(
                    ENTRY.map(rs, ctx),
                    rs.getString("node_kind") == null
                        ? null
                        : coffer.core.model.NodeKind.valueOf(
                            rs.getString("node_kind").toUpperCase(java.util.Locale.ROOT)),
                    rs.getString("rev_hash"),
                    rs.getLong("rev_size"),
                    rs.getString("node_ns"),
                    rs.getString("node_mount")))
        .list();
  }

  @Override
  public long lastSeqInSubtree(String namespaceId, String nodeId) {
    return handle
        .createQuery(
            JdbiNodeRecords.SUBTREE
                + " SELECT COALESCE(MAX(j.seq), 0) FROM journal j"
                + " WHERE j.ns_id = :ns AND j.node_id IN (SELECT id FROM subtree)")
        .bind("ns", namespaceId)
        .bind("id", nodeId)
        .mapTo(Long.class)
        .one();
  }

  @Override
  public List<JournalEntry> forNodes(
      String namespaceId, java.util.Collection<String> nodeIds, int limit) {
    if (nodeIds.isEmpty()) {
      return List.of();
    }
    List<JournalEntry> newestFirst =
        handle
            .createQuery(
                "SELECT * FROM journal WHERE ns_id = :ns AND node_id IN (<ids>)"
                    + " ORDER BY seq DESC LIMIT :limit")
            .bind("ns", namespaceId)
            .bindList("ids", List.copyOf(nodeIds))
            .bind("limit", limit)
            .map(ENTRY)
            .list();
    return newestFirst.reversed();
  }

  private static final org.jdbi.v3.core.mapper.RowMapper<JournalEntry> ENTRY =
      (rs, ctx) ->
          new JournalEntry(
              rs.getString("ns_id"),
              rs.getLong("seq"),
              rs.getString("node_id"),
              JournalOp.valueOf(rs.getString("op")),
              rs.getString("rev_id"),
              rs.getString("path"),
              Rows.instant(rs, "at"),
              rs.getString("parent_id"));
}
