package coffer.server.metadata.jdbc;

import coffer.server.metadata.OperationRecords;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbiOperationRecords implements OperationRecords {

  private final Handle handle;

  JdbiOperationRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public Optional<Applied> find(String userId, String opId) {
    return handle
        .createQuery("SELECT node_id, status FROM applied_ops WHERE user_id = ? AND op_id = ?")
        .bind(0, userId)
        .bind(1, opId)
        .map((rs, ctx) -> new Applied(rs.getString("node_id"), rs.getInt("status")))
        .findOne();
  }

  @Override
  public void record(String userId, String opId, Applied applied, Instant at) {
    JdbiMetadataStore.uniquely(
        () ->
            handle
                .createUpdate(
                    "INSERT INTO applied_ops (user_id, op_id, node_id, status, created_at)"
                        + " VALUES (?, ?, ?, ?, ?)")
                .bind(0, userId)
                .bind(1, opId)
                .bind(2, applied.nodeId())
                .bind(3, applied.status())
                .bind(4, at.toEpochMilli())
                .execute(),
        "duplicate-operation",
        "Operation '" + opId + "' is being applied by another request; retry it.");
  }

  @Override
  public int forgetBefore(Instant cutoff) {
    return handle
        .createUpdate("DELETE FROM applied_ops WHERE created_at < ?")
        .bind(0, cutoff.toEpochMilli())
        .execute();
  }
}
