package coffer.core.model;

import coffer.core.hash.Sha256;
import java.time.Instant;

/**
 * A file or folder in a namespace. Its id stays the same across renames, moves and new revisions;
 * {@code revisionId}, {@code size} and {@code contentHash} describe the current revision of a file
 * and are null or zero for folders. A mount is a folder in a member's home that shows a shared
 * namespace ({@code mountNamespace}); its own children are that namespace's root's children.
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
    boolean deleted,
    String mountNamespace) {

  /** A node that mounts nothing. */
  public Node(
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
    this(
        id,
        namespaceId,
        parentId,
        name,
        kind,
        revisionId,
        size,
        contentHash,
        createdAt,
        modifiedAt,
        deleted,
        null);
  }

  /** Whether this folder shows a shared namespace. */
  public boolean isMount() {
    return mountNamespace != null;
  }

  public boolean isFolder() {
    return kind == NodeKind.FOLDER;
  }

  public boolean isRoot() {
    return parentId == null;
  }
}
