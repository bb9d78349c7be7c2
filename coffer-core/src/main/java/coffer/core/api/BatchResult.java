package coffer.core.api;

import java.util.List;

/**
 * The outcome of one batch operation: {@code status} is the HTTP status the operation would have
 * had on its own (200, 201, 404, 409, …), with the node's metadata on success or a problem on
 * failure. {@code replayed} is true when the operation id had been applied before, so nothing
 * changed this time.
 */
public record BatchResult(
    String opId, int status, FileMetadata file, Problem problem, boolean replayed) {

  /** The results of a whole batch, in the order of its operations. */
  public record Page(List<BatchResult> results) {}
}
