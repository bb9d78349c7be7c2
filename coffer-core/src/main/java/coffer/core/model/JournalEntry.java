package coffer.core.model;

import java.time.Instant;

/**
 * One change in a namespace's journal: entries are numbered 1, 2, 3, … per namespace, appended in
 * the same transaction as the change they describe, and never rewritten. {@code parentId} is the
 * node's parent at the time of the change (null for entries written before it was recorded).
 */
public record JournalEntry(
    String namespaceId,
    long seq,
    String nodeId,
    JournalOp op,
    String revisionId,
    String path,
    Instant at,
    String parentId) {

  public JournalEntry(
      String namespaceId,
      long seq,
      String nodeId,
      JournalOp op,
      String revisionId,
      String path,
      Instant at) {
    this(namespaceId, seq, nodeId, op, revisionId, path, at, null);
  }
}
