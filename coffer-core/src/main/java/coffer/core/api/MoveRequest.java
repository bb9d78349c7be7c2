package coffer.core.api;

/**
 * Renames and/or moves a node: to {@code path}, or to {@code name} under {@code parentId} (either
 * may be omitted to keep the current one). With {@code baseRevision}, a file is moved only if its
 * current revision is still that one; otherwise the move is a {@code stale-revision} conflict.
 */
public record MoveRequest(String path, String parentId, String name, String baseRevision) {

  public MoveRequest(String path, String parentId, String name) {
    this(path, parentId, name, null);
  }
}
