package coffer.core.model;

/** What a change-journal entry records about its node. */
public enum JournalOp {
  CREATE,
  UPDATE,
  MOVE,
  DELETE,
  RESTORE,
  /** Something was shared with the namespace's owner (a single file: it is not in their tree). */
  SHARE
}
