package coffer.core.sync;

/**
 * The planner's working record for one id: what each tree holds, where the item ends up once both
 * sides agree, and what this round does about it.
 */
final class Entry {

  /** Which side's location the item ends up at. */
  enum Origin {
    LOCAL,
    REMOTE,
    /** Both sides already have it there. */
    BOTH
  }

  /** A tree an action changes. */
  enum Side {
    LOCAL,
    REMOTE
  }

  /** The state of the item's placement this round. */
  enum Status {
    /** No placement is due, or it could not be decided. */
    NONE,
    /** Its parent exists and its slot is free: it is created or moved this round. */
    READY,
    /** It waits for its parent to appear or its slot to be vacated. */
    WAITING,
    /** It moves aside to a temporary name to break a cycle of items waiting for each other. */
    MAKING_WAY
  }

  final String id;
  final SyncItem synced;
  final SyncItem remote;
  final SyncItem local;

  /** Unsyncable, or hidden by an unsyncable folder: it takes no action and blocks deletes. */
  boolean skipped;

  /**
   * Deleted locally, yet kept on the server for good by something moved locally out of sync's
   * sight: it keeps its remote name.
   */
  boolean heldRemotely;

  /** Where the item ends up, or null when it ends up gone. */
  Location target;

  Origin origin;

  /** The tree the item must be created or moved in to reach {@link #target}, or null. */
  Side placeIn;

  /** What to do when no placement is due: a content transfer, a record, a delete or a forget. */
  SyncAction work;

  /** Both sides changed the file's content differently: the local one is copied aside. */
  boolean conflicted;

  /** Its local item loses a name to another item and goes to a conflicted-copy name. */
  boolean loser;

  /** The remote item this new local item merges with, or null. */
  String mergeWith;

  /** A new local item merges with this remote item; the local item's entry acts for both. */
  boolean merged;

  Status status = Status.NONE;

  /** The entry whose action this one waits for, when one is known. */
  Entry waitsFor;

  /** Whether {@link #waitsFor} holds this entry's target slot (rather than being its parent). */
  boolean waitsForSlot;

  /** The temporary location when {@link Status#MAKING_WAY}. */
  Location makeWay;

  /** Scratch mark for graph walks. */
  int visit;

  Entry(String id, SyncItem synced, SyncItem remote, SyncItem local) {
    this.id = id;
    this.synced = synced;
    this.remote = remote;
    this.local = local;
  }

  /** Any of the trees' items for this id: they all have the same kind. */
  SyncItem any() {
    return local != null ? local : remote != null ? remote : synced;
  }

  void waitFor(Entry other, boolean forSlot) {
    status = Status.WAITING;
    waitsFor = other;
    waitsForSlot = other != null && forSlot;
  }

  @Override
  public String toString() {
    return id;
  }
}
