package coffer.core.api;

import java.time.Instant;

/**
 * One change as the feed reports it. Journal entries carry their namespace's sequence number and an
 * {@code op} of {@code create}, {@code update}, {@code move}, {@code delete} or {@code restore};
 * entries of the initial snapshot have {@code op} {@code exists} and {@code seq} 0.
 *
 * @param path the node's path when the change happened (for {@code delete}: where it was)
 * @param revision the file revision the change produced, if any
 * @param parentId the node's parent folder when the change happened
 * @param contentHash the content hash of {@code revision}, for files
 * @param size the size of {@code revision}, for files
 * @param readOnly true on a shared folder's mount when the caller may only view what is in it
 */
public record ChangeEntry(
    String namespaceId,
    long seq,
    String op,
    String id,
    String kind,
    String path,
    String revision,
    Instant at,
    String parentId,
    String contentHash,
    long size,
    Boolean readOnly) {

  public ChangeEntry(
      String namespaceId,
      long seq,
      String op,
      String id,
      String kind,
      String path,
      String revision,
      Instant at,
      String parentId,
      String contentHash,
      long size) {
    this(namespaceId, seq, op, id, kind, path, revision, at, parentId, contentHash, size, null);
  }
}
