package coffer.server.metadata;

import coffer.core.model.JournalEntry;
import java.util.List;

/** The per-namespace change journal. */
public interface JournalRecords {

  void append(JournalEntry entry);

  /** The latest {@code limit} entries about any of {@code nodeIds}, oldest first. */
  List<JournalEntry> forNodes(String namespaceId, java.util.Collection<String> nodeIds, int limit);

  /**
   * Like {@link #after}, with what the feed shows beside each entry: the node's kind (null once it
   * is purged), its revision's content hash and size (null and 0 without a revision), and where the
   * node is now.
   */
  List<FeedEntry> feedAfter(String namespaceId, long afterSeq, int limit);

  /**
   * A journal entry as the change feed shows it, with where its node is now: {@code nodeNamespace}
   * (null once purged; another namespace when the node moved out since) and the namespace the node
   * mounts, if it is a mount.
   */
  record FeedEntry(
      JournalEntry entry,
      coffer.core.model.NodeKind kind,
      String contentHash,
      long size,
      String nodeNamespace,
      String mountNamespace) {}

  /**
   * The highest sequence number of an entry about the node or anything now under it (deleted nodes
   * included); 0 when there is none.
   */
  long lastSeqInSubtree(String namespaceId, String nodeId);

  /** Up to {@code limit} entries of a namespace with a sequence number above {@code afterSeq}. */
  List<JournalEntry> after(String namespaceId, long afterSeq, int limit);
}
