package coffer.server.metadata;

/** What the server knows about itself, as one row. */
public interface ServerRecords {

  /**
   * The epoch of this metadata's history: set when the store is made, and changed when a copy of it
   * is taken for a backup or by an operator after a restore. Change feed cursors carry it, so a
   * cursor from another history is recognised instead of being read against this one.
   */
  String epoch();

  /** Starts a new history. */
  void setEpoch(String epoch);
}
