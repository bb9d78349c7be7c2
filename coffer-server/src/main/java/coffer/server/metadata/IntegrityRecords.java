package coffer.server.metadata;

import java.util.List;

/**
 * The metadata's own rules, checked across every row: what {@code coffer admin fsck} reports.
 * Nothing here changes anything.
 */
public interface IntegrityRecords {

  /**
   * One row that breaks a rule.
   *
   * @param kind which rule, such as {@code node-without-parent}
   * @param subject the id of the row at fault
   * @param detail what is wrong with it, in words
   */
  record Finding(String kind, String subject, String detail) {}

  /**
   * Every rule checked, with up to {@code limit} findings per rule: a node's parent exists, is a
   * folder and is in the same namespace; a file's current revision exists, is its own and agrees
   * with it on size and content; a revision's chunks are numbered without gaps and add up to its
   * size; a namespace's root exists; no journal entry is numbered past its namespace's sequence; a
   * mount names a namespace that exists.
   */
  List<Finding> check(int limit);

  /** How many nodes and revisions there are, for the report. */
  Counts counts();

  /** The size of what {@link #check} looked at. */
  record Counts(long nodes, long revisions) {}
}
