package coffer.server.metadata.jdbc;

import coffer.core.manifest.ChunkRef;
import coffer.core.manifest.Manifest;
import coffer.core.model.Revision;
import coffer.server.metadata.RevisionRecords;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

final class JdbiRevisionRecords implements RevisionRecords {

  private final Handle handle;

  JdbiRevisionRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(Revision revision) {
    handle
        .createUpdate(
            "INSERT INTO revisions (ns_id, id, node_id, size, content_hash, device_id, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(0, revision.namespaceId())
        .bind(1, revision.id())
        .bind(2, revision.nodeId())
        .bind(3, revision.size())
        .bind(4, revision.contentHash().hex())
        .bind(5, revision.deviceId())
        .bind(6, revision.createdAt().toEpochMilli())
        .execute();
    List<ChunkRef> chunks = revision.manifest().chunks();
    if (chunks.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        handle.prepareBatch(
            "INSERT INTO revision_chunks (rev_id, idx, chunk_hash, length) VALUES (?, ?, ?, ?)");
    for (int i = 0; i < chunks.size(); i++) {
      ChunkRef chunk = chunks.get(i);
      batch.bind(0, revision.id()).bind(1, i).bind(2, chunk.hash().hex()).bind(3, chunk.length());
      batch.add();
    }
    batch.execute();
  }

  @Override
  public List<Revision> forNode(String namespaceId, String nodeId) {
    return handle
        .createQuery(
            "SELECT * FROM revisions WHERE ns_id = ? AND node_id = ? ORDER BY created_at DESC, id")
        .bind(0, namespaceId)
        .bind(1, nodeId)
        .map(
            (rs, ctx) ->
                new Revision(
                    rs.getString("id"),
                    rs.getString("ns_id"),
                    rs.getString("node_id"),
                    rs.getLong("size"),
                    Rows.hash(rs, "content_hash"),
                    Manifest.EMPTY,
                    rs.getString("device_id"),
                    Rows.instant(rs, "created_at")))
        .list();
  }

  @Override
  public Optional<Revision> byId(String id) {
    List<ChunkRef> chunks =
        handle
            .createQuery(
                "SELECT chunk_hash, length FROM revision_chunks WHERE rev_id = ? ORDER BY idx")
            .bind(0, id)
            .map((rs, ctx) -> new ChunkRef(Rows.hash(rs, "chunk_hash"), rs.getInt("length")))
            .list();
    Manifest manifest = new Manifest(chunks);
    return handle
        .createQuery("SELECT * FROM revisions WHERE id = ?")
        .bind(0, id)
        .map(
            (rs, ctx) ->
                new Revision(
                    rs.getString("id"),
                    rs.getString("ns_id"),
                    rs.getString("node_id"),
                    rs.getLong("size"),
                    Rows.hash(rs, "content_hash"),
                    manifest,
                    rs.getString("device_id"),
                    Rows.instant(rs, "created_at")))
        .findOne();
  }

  @Override
  public int prune(Instant cutoff, int keepNewest, int limit) {
    List<String> ids =
        handle
            .createQuery(
                "SELECT r.id FROM (SELECT id, node_id, created_at, ROW_NUMBER() OVER"
                    + " (PARTITION BY ns_id, node_id ORDER BY created_at DESC, id DESC) AS rn,"
                    + " LEAD(created_at) OVER"
                    + " (PARTITION BY ns_id, node_id ORDER BY created_at, id) AS replaced_at"
                    + " FROM revisions) r JOIN nodes n ON n.id = r.node_id"
                    + " WHERE r.rn > :keep AND r.replaced_at < :cutoff"
                    + " AND (n.rev_id IS NULL OR n.rev_id <> r.id) LIMIT :limit")
            .bind("keep", keepNewest)
            .bind("cutoff", cutoff.toEpochMilli())
            .bind("limit", limit)
            .mapTo(String.class)
            .list();
    if (ids.isEmpty()) {
      return 0;
    }
    handle
        .createUpdate("DELETE FROM revision_chunks WHERE rev_id IN (<ids>)")
        .bindList("ids", ids)
        .execute();
    return handle
        .createUpdate("DELETE FROM revisions WHERE id IN (<ids>)")
        .bindList("ids", ids)
        .execute();
  }
}
