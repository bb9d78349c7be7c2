package coffer.core.sync;

/**
 * An action and what it touches beyond its subject, so that {@link Independence} can tell whether
 * two actions of a batch may run in either order.
 */
final class Planned {

  private final SyncAction action;
  private final String subject;

  /** The local item whose path the action uses, or null. */
  String localSource;

  /** Whether the action moves, renames or deletes {@link #localSource}. */
  boolean movesLocal;

  /** The local folder the action puts something in, or null. */
  String localTarget;

  /** The remote folder the action puts something in, or null. */
  String remoteTarget;

  /** Whether the action moves its subject on the server (into {@link #remoteTarget}). */
  boolean movesRemote;

  /** Whether the action renames its local item to a conflicted copy with a fresh id. */
  boolean copiesAside;

  /** The synced item whose parent the action records anew, or null. */
  String syncedMoved;

  /** The parent it records for {@link #syncedMoved}. */
  String syncedParent;

  Planned(SyncAction action, String subject) {
    this.action = action;
    this.subject = subject;
  }

  SyncAction action() {
    return action;
  }

  String subject() {
    return subject;
  }

  Planned readsLocal(String id) {
    localSource = id;
    return this;
  }

  Planned movesLocal() {
    movesLocal = true;
    return this;
  }

  Planned writesLocal(String folderId) {
    localTarget = folderId;
    return this;
  }

  Planned writesRemote(String folderId) {
    remoteTarget = folderId;
    return this;
  }

  Planned movesRemote(String folderId) {
    movesRemote = true;
    remoteTarget = folderId;
    return this;
  }

  Planned copiesAside() {
    copiesAside = true;
    return this;
  }

  Planned recordsSynced(String id, String parentId) {
    syncedMoved = id;
    syncedParent = parentId;
    return this;
  }

  @Override
  public String toString() {
    return action.toString();
  }
}
