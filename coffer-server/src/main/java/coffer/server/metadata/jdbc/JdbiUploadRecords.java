package coffer.server.metadata.jdbc;

import coffer.core.api.UploadMetadata;
import coffer.core.manifest.ChunkRef;
import coffer.core.manifest.Manifest;
import coffer.server.metadata.PendingUpload;
import coffer.server.metadata.UploadRecords;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

final class JdbiUploadRecords implements UploadRecords {

  private final Handle handle;

  JdbiUploadRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(PendingUpload upload) {
    UploadMetadata target = upload.target();
    handle
        .createUpdate(
            "INSERT INTO uploads (user_id, id, path, parent_id, name, overwrite, base_revision,"
                + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(0, upload.userId())
        .bind(1, upload.id())
        .bind(2, target.path())
        .bind(3, target.parentId())
        .bind(4, target.name())
        .bind(5, Boolean.TRUE.equals(target.overwrite()) ? 1 : 0)
        .bind(6, target.baseRevision())
        .bind(7, upload.createdAt().toEpochMilli())
        .bind(8, upload.expiresAt().toEpochMilli())
        .execute();
    List<ChunkRef> chunks = upload.manifest().chunks();
    if (chunks.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        handle.prepareBatch(
            "INSERT INTO upload_chunks (upload_id, idx, chunk_hash, length) VALUES (?, ?, ?, ?)");
    for (int i = 0; i < chunks.size(); i++) {
      batch.bind(0, upload.id()).bind(1, i).bind(2, chunks.get(i).hash().hex());
      batch.bind(3, chunks.get(i).length()).add();
    }
    batch.execute();
  }

  @Override
  public Optional<PendingUpload> find(String userId, String uploadId, Instant now) {
    List<ChunkRef> chunks =
        handle
            .createQuery(
                "SELECT chunk_hash, length FROM upload_chunks WHERE upload_id = ? ORDER BY idx")
            .bind(0, uploadId)
            .map((rs, ctx) -> new ChunkRef(Rows.hash(rs, "chunk_hash"), rs.getInt("length")))
            .list();
    return handle
        .createQuery("SELECT * FROM uploads WHERE id = ? AND user_id = ? AND expires_at > ?")
        .bind(0, uploadId)
        .bind(1, userId)
        .bind(2, now.toEpochMilli())
        .map(
            (rs, ctx) ->
                new PendingUpload(
                    rs.getString("id"),
                    rs.getString("user_id"),
                    new UploadMetadata(
                        rs.getString("path"),
                        rs.getString("parent_id"),
                        rs.getString("name"),
                        rs.getInt("overwrite") != 0,
                        rs.getString("base_revision")),
                    new Manifest(chunks),
                    Rows.instant(rs, "created_at"),
                    Rows.instant(rs, "expires_at")))
        .findOne();
  }

  @Override
  public void delete(String uploadId) {
    handle
        .createUpdate("DELETE FROM upload_chunks WHERE upload_id = ?")
        .bind(0, uploadId)
        .execute();
    handle.createUpdate("DELETE FROM uploads WHERE id = ?").bind(0, uploadId).execute();
  }

  @Override
  public int deleteExpired(Instant now) {
    handle
        .createUpdate(
            "DELETE FROM upload_chunks WHERE upload_id IN"
                + " (SELECT id FROM uploads WHERE expires_at <= ?)")
        .bind(0, now.toEpochMilli())
        .execute();
    return handle
        .createUpdate("DELETE FROM uploads WHERE expires_at <= ?")
        .bind(0, now.toEpochMilli())
        .execute();
  }
}
