package coffer.core.model;

import java.time.Instant;

/**
 * One change in a namespace's journal: entries are numbered 1, 2, 3, … per namespace, appended in
 * the same transaction as the change they describe, and never rewritten.
 */
public record JournalEntry(
    String namespaceId,
    long seq,
    String nodeId,
    JournalOp op,
    String revisionId,
    String path,
    Instant at) {}
