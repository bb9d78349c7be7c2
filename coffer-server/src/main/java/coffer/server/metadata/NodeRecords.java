package coffer.server.metadata;

import coffer.core.model.Node;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Files and folders. Live siblings never share a name key (case-insensitive name): an insert or
 * update that would break this is a {@code ConflictException} of type {@code name-taken}.
 */
public interface NodeRecords {

  void insert(Node node, String nameKey);

  /** A node by id, deleted or not. */
  Optional<Node> byId(String id);

  /** The live child of a folder with the given name key. */
  Optional<Node> child(String namespaceId, String parentId, String nameKey);

  /** Live children of a folder, in no particular order. */
  List<Node> children(String namespaceId, String parentId);

  /** Overwrites a node's mutable fields (parent, name, revision, size, hash, times, deleted). */
  void update(Node node, String nameKey);

  /** Up to {@code limit} live nodes of a namespace with ids above {@code afterId}, by id. */
  List<Node> liveAfter(String namespaceId, String afterId, int limit);

  /** The ids of a node and all of its descendants, deleted or not. */
  List<String> subtreeIds(String namespaceId, String nodeId);

  /**
   * What the trash shows: deleted nodes that were deleted themselves, not along with a deleted
   * folder around them, with when; newest first.
   */
  List<Trashed> trashed(String namespaceId);

  /** A deleted node and the moment it (and what was deleted with it) went to the trash. */
  record Trashed(Node node, Instant deletedAt) {}

  /**
   * Brings a trashed node back with everything deleted along with it (same deletion time) under
   * {@code parentId} and {@code name}. A live sibling with that name key is a name-taken conflict.
   */
  void restore(
      String namespaceId,
      String nodeId,
      Instant deletedAt,
      String parentId,
      String name,
      String nameKey);

  /**
   * Up to {@code limit} trash items (as {@link #trashed} lists them) of any namespace that went to
   * the trash before {@code cutoff}, as (namespace id, node id) pairs.
   */
  List<Trashed> trashedBefore(Instant cutoff, int limit);

  /**
   * Deletes a trashed node and everything below it for good, revisions included; returns how many
   * nodes.
   */
  int purge(String namespaceId, String nodeId);

  /**
   * Moves the live nodes under a node (revisions included), and the node itself when {@code
   * withNode}, to another namespace, keeping ids, parents and names; returns the ids moved. Trashed
   * nodes stay in the namespace they were deleted from (its trash).
   */
  List<String> moveToNamespace(
      String fromNamespace, String nodeId, String toNamespace, boolean withNode);

  /** Gives every child of one folder (deleted or not) another parent in the same namespace. */
  void reparentChildren(String namespaceId, String fromParentId, String toParentId);

  /** Makes a folder the mount of a shared namespace (or, with null, an ordinary folder again). */
  void setMount(String nodeId, String mountNamespace);

  /** Whether a node, or anything under it, is a mount. */
  boolean hasMountIn(String namespaceId, String nodeId);

  /** Removes a mount for good (a mount has no children of its own). */
  void removeMount(String nodeId);

  /**
   * Marks a node and all of its live descendants deleted at {@code at}; returns how many nodes it
   * marked.
   */
  int trash(String namespaceId, String nodeId, Instant at);
}
