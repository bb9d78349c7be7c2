package coffer.core.model;

import coffer.core.hash.Sha256;
import java.time.Instant;

/**
 * A file or folder in a namespace. Its id stays the same across renames, moves and new revisions;
 * {@code revisionId}, {@code size} and {@code contentHash} describe the current revision of a file
 * and are null or zero for folders.
 */
public record Node(
    String id,
    String namespaceId,
    String parentId,
    String name,
    NodeKind kind,
    String revisionId,
    long size,
    Sha256 contentHash,
    Instant createdAt,
    Instant modifiedAt,
    boolean deleted) {

  public boolean isFolder() {
    return kind == NodeKind.FOLDER;
  }

  public boolean isRoot() {
    return parentId == null;
  }
}
