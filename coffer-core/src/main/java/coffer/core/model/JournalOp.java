package coffer.core.model;

/** What a change-journal entry records about its node. */
public enum JournalOp {
  CREATE,
  UPDATE,
  MOVE,
  DELETE,
  RESTORE
}
