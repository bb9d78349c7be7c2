package coffer.core.sync;

import static java.util.Objects.requireNonNull;

import coffer.core.model.NodeKind;

/**
 * One file or folder as one of the sync client's three trees (remote, local, synced) sees it.
 *
 * @param id the node id: a server id in the remote and synced trees and for local items that are
 *     known; a fresh id no other tree uses for an item that exists only locally
 * @param parentId the id of the folder that holds it, or the tree's root id
 * @param name its name; NFC in the remote and synced trees, as found on disk in the local tree
 * @param kind file or folder; an id never changes kind
 * @param content what identifies a file's bytes (a hex content hash); null for a folder
 * @param revision the server revision a file has in the remote tree, or had when it was last
 *     synced; null for folders, on the local tree, and for files never uploaded
 */
public record SyncItem(
    String id, String parentId, String name, NodeKind kind, String content, String revision) {

  public SyncItem {
    requireNonNull(id, "id is null");
    requireNonNull(parentId, "parentId is null");
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    if (kind == NodeKind.FILE) {
      requireNonNull(content, "content of file " + id + " is null");
    } else if (content != null || revision != null) {
      throw new IllegalArgumentException("folder " + id + " cannot have content or a revision");
    }
  }

  /** A folder. */
  public static SyncItem folder(String id, String parentId, String name) {
    return new SyncItem(id, parentId, name, NodeKind.FOLDER, null, null);
  }

  /** A file; {@code revision} may be null (on the local tree, or never uploaded). */
  public static SyncItem file(
      String id, String parentId, String name, String content, String revision) {
    return new SyncItem(id, parentId, name, NodeKind.FILE, content, revision);
  }

  public boolean isFolder() {
    return kind == NodeKind.FOLDER;
  }

  /** The same item under another id (the executor's re-key after a create on the server). */
  public SyncItem withId(String newId) {
    return new SyncItem(newId, parentId, name, kind, content, revision);
  }

  /** The same item at another place. */
  public SyncItem withLocation(String newParentId, String newName) {
    return new SyncItem(id, newParentId, newName, kind, content, revision);
  }

  /** The same file with other content. */
  public SyncItem withContent(String newContent, String newRevision) {
    return new SyncItem(id, parentId, name, kind, newContent, newRevision);
  }
}
