package coffer.server.metadata.jdbc;

import coffer.server.metadata.NamespaceRecords;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

final class JdbiNamespaceRecords implements NamespaceRecords {

  private final Handle handle;

  JdbiNamespaceRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(String namespaceId, String ownerId, String rootNodeId, Instant createdAt) {
    handle
        .createUpdate(
            "INSERT INTO namespaces (id, owner_id, root_id, last_seq, created_at)"
                + " VALUES (?, ?, ?, 0, ?)")
        .bind(0, namespaceId)
        .bind(1, ownerId)
        .bind(2, rootNodeId)
        .bind(3, createdAt.toEpochMilli())
        .execute();
  }

  @Override
  public long nextSeq(String namespaceId) {
    // The row lock taken here (PostgreSQL) or the database write lock (SQLite) serializes
    // writers of one namespace until commit.
    return handle
        .createQuery(
            "UPDATE namespaces SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq")
        .bind(0, namespaceId)
        .mapTo(Long.class)
        .one();
  }

  @Override
  public String rootId(String namespaceId) {
    return handle
        .createQuery("SELECT root_id FROM namespaces WHERE id = ?")
        .bind(0, namespaceId)
        .mapTo(String.class)
        .one();
  }

  @Override
  public long lastSeq(String namespaceId) {
    Long last = lastSeqIfAny(namespaceId);
    if (last == null) {
      throw new IllegalStateException("no namespace " + namespaceId);
    }
    return last;
  }

  @Override
  public Long lastSeqIfAny(String namespaceId) {
    return handle
        .createQuery("SELECT last_seq FROM namespaces WHERE id = ?")
        .bind(0, namespaceId)
        .mapTo(Long.class)
        .findOne()
        .orElse(null);
  }

  @Override
  public String ownerId(String namespaceId) {
    return handle
        .createQuery("SELECT owner_id FROM namespaces WHERE id = ?")
        .bind(0, namespaceId)
        .mapTo(String.class)
        .one();
  }

  @Override
  public boolean editorsCanShare(String namespaceId) {
    return handle
            .createQuery("SELECT editors_can_share FROM namespaces WHERE id = ?")
            .bind(0, namespaceId)
            .mapTo(Integer.class)
            .one()
        != 0;
  }

  @Override
  public void setEditorsCanShare(String namespaceId, boolean allowed) {
    handle
        .createUpdate("UPDATE namespaces SET editors_can_share = ? WHERE id = ?")
        .bind(0, allowed ? 1 : 0)
        .bind(1, namespaceId)
        .execute();
  }
}
