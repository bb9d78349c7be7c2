package coffer.server.metadata;

import java.time.Instant;

/** Namespaces: trees with a journal of their own. */
public interface NamespaceRecords {

  void insert(String namespaceId, String ownerId, String rootNodeId, Instant createdAt);

  /**
   * Reserves the next journal sequence number of a namespace. Concurrent writers to one namespace
   * serialize here until they commit, so numbers are gapless and in commit order.
   */
  long nextSeq(String namespaceId);

  /** The id of a namespace's root folder. */
  String rootId(String namespaceId);

  /** The last sequence number handed out; 0 for a namespace with no changes. */
  long lastSeq(String namespaceId);

  /** The last sequence number handed out, or null when there is no such namespace. */
  Long lastSeqIfAny(String namespaceId);

  /** The user who owns a namespace. */
  String ownerId(String namespaceId);

  /** Whether the owner lets editors share the namespace further. */
  boolean editorsCanShare(String namespaceId);

  void setEditorsCanShare(String namespaceId, boolean allowed);
}
