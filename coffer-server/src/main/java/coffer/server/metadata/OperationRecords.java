package coffer.server.metadata;

import java.time.Instant;
import java.util.Optional;

/**
 * Operations applied under a client's operation id, so that a retry is answered rather than applied
 * again. Recorded in the transaction that applies the operation: either both land or neither does.
 */
public interface OperationRecords {

  /** What an applied operation touched, and the status it was answered with. */
  record Applied(String nodeId, int status) {}

  /** The operation the user applied under {@code opId}, if any. */
  Optional<Applied> find(String userId, String opId);

  /**
   * Records an applied operation. A second record under the same id is a {@code ConflictException}
   * of type {@code duplicate-operation} (a concurrent retry).
   */
  void record(String userId, String opId, Applied applied, Instant at);

  /** Forgets operations recorded before {@code cutoff}; returns how many. */
  int forgetBefore(Instant cutoff);
}
