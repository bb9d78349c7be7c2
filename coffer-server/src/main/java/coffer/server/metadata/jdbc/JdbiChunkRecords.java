package coffer.server.metadata.jdbc;

import coffer.core.hash.Sha256;
import coffer.core.manifest.ChunkRef;
import coffer.server.metadata.ChunkRecords;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

final class JdbiChunkRecords implements ChunkRecords {

  private static final int IN_BATCH = 500;

  private final Handle handle;
  private final boolean postgres;

  JdbiChunkRecords(Handle handle, boolean postgres) {
    this.handle = handle;
    this.postgres = postgres;
  }

  @Override
  public void grant(String userId, Collection<ChunkRef> chunks, Instant at) {
    Map<Sha256, Integer> unique = new LinkedHashMap<>();
    for (ChunkRef chunk : chunks) {
      unique.putIfAbsent(chunk.hash(), chunk.length());
    }
    if (unique.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        handle.prepareBatch(
            "INSERT INTO user_chunks (user_id, chunk_hash, length, created_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (user_id, chunk_hash) DO NOTHING");
    for (Map.Entry<Sha256, Integer> chunk : unique.entrySet()) {
      batch.bind(0, userId).bind(1, chunk.getKey().hex()).bind(2, chunk.getValue());
      batch.bind(3, at.toEpochMilli()).add();
    }
    batch.execute();
  }

  @Override
  public Set<Sha256> heldBy(String userId, java.util.Map<Sha256, Integer> chunks) {
    Set<Sha256> held = new HashSet<>();
    List<String> all = chunks.keySet().stream().map(Sha256::hex).distinct().toList();
    for (int from = 0; from < all.size(); from += IN_BATCH) {
      List<String> slice = all.subList(from, Math.min(all.size(), from + IN_BATCH));
      handle
          .createQuery(
              "SELECT chunk_hash, length FROM user_chunks"
                  + " WHERE user_id = :user AND chunk_hash IN (<hashes>)")
          .bind("user", userId)
          .bindList("hashes", slice)
          .map((rs, ctx) -> java.util.Map.entry(Sha256.parse(rs.getString(1)), rs.getLong(2)))
          .forEach(
              row -> {
                Integer wanted = chunks.get(row.getKey());
                if (wanted != null && wanted.longValue() == row.getValue()) {
                  held.add(row.getKey());
                }
              });
    }
    return held;
  }

  @Override
  public boolean readableBy(Sha256 hash, String userId, Collection<String> namespaces) {
    return handle
        .createQuery(
            "SELECT EXISTS (SELECT 1 FROM user_chunks WHERE user_id = :user AND chunk_hash = :h)"
                + " OR EXISTS (SELECT 1 FROM revision_chunks c JOIN revisions r ON r.id = c.rev_id"
                + " WHERE c.chunk_hash = :h AND (r.ns_id IN (<ns>) OR r.node_id IN"
                + " (SELECT node_id FROM shared_files WHERE user_id = :user)))")
        .bind("user", userId)
        .bind("h", hash.hex())
        .bindList("ns", List.copyOf(namespaces))
        .mapTo(Boolean.class)
        .one();
  }

  @Override
  public boolean referenced(Sha256 hash, Instant now) {
    return handle
        .createQuery(
            "SELECT EXISTS (SELECT 1 FROM revision_chunks WHERE chunk_hash = :h)"
                + " OR EXISTS (SELECT 1 FROM upload_chunks c JOIN uploads u ON u.id = c.upload_id"
                + " WHERE c.chunk_hash = :h AND u.expires_at > :now)")
        .bind("h", hash.hex())
        .bind("now", now.toEpochMilli())
        .mapTo(Boolean.class)
        .one();
  }

  @Override
  public void lockForCollection() {
    // SQLite transactions here are IMMEDIATE: this one already excludes every other writer.
    if (postgres) {
      handle.execute("LOCK TABLE revision_chunks, upload_chunks IN SHARE MODE");
    }
  }

  @Override
  public void forget(Sha256 hash) {
    handle
        .createUpdate("DELETE FROM user_chunks WHERE chunk_hash = ?")
        .bind(0, hash.hex())
        .execute();
  }

  @Override
  public List<Sha256> referencedAfter(Sha256 after, int limit) {
    return handle
        .createQuery(
            "SELECT DISTINCT chunk_hash FROM revision_chunks WHERE chunk_hash > ?"
                + " ORDER BY chunk_hash LIMIT ?")
        .bind(0, after == null ? "" : after.hex())
        .bind(1, limit)
        .mapTo(String.class)
        .map(Sha256::parse)
        .list();
  }

  @Override
  public List<String> filesUsing(Sha256 hash, int limit) {
    return handle
        .createQuery(
            "SELECT DISTINCT n.id, n.name FROM revision_chunks rc"
                + " JOIN revisions r ON r.id = rc.rev_id"
                + " JOIN nodes n ON n.id = r.node_id"
                + " WHERE rc.chunk_hash = ? AND n.deleted = 0 ORDER BY n.name, n.id LIMIT ?")
        .bind(0, hash.hex())
        .bind(1, limit)
        .map((rs, ctx) -> rs.getString("name") + " (" + rs.getString("id") + ")")
        .list();
  }
}
