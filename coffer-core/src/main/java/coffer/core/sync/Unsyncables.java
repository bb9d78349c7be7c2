package coffer.core.sync;

import coffer.core.error.BadRequestException;
import coffer.core.name.NodeName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The local items the server would refuse by name, and everything under them. They are reported
 * once (the topmost of each subtree) and otherwise left alone: never uploaded, and never taken for
 * deletions on either side.
 */
final class Unsyncables {

  private final SyncTree remote;
  private final SyncTree local;
  private final SyncTree synced;
  private final Set<String> skipped = new HashSet<>();
  private final List<SyncAction.Unsyncable> reports = new ArrayList<>();

  Unsyncables(SyncTree remote, SyncTree local, SyncTree synced) {
    this.remote = remote;
    this.local = local;
    this.synced = synced;
    for (SyncItem item : local.preOrder()) {
      if (skipped.contains(item.parentId())) {
        skipped.add(item.id());
        continue;
      }
      try {
        NodeName.of(item.name());
      } catch (BadRequestException refused) {
        skipped.add(item.id());
        reports.add(
            new SyncAction.Unsyncable(item.id(), local.path(item.id()), refused.getMessage()));
      }
    }
  }

  /** Whether the local item {@code id} is unsyncable or under an unsyncable folder. */
  boolean skipped(String id) {
    return !skipped.isEmpty() && skipped.contains(id);
  }

  /**
   * Whether a synced item missing locally was last seen under a folder that is now unsyncable
   * locally: its absence may be an edit made out of sync's sight, so it is not a deletion.
   */
  boolean hides(String syncedId) {
    if (skipped.isEmpty()) {
      return false;
    }
    SyncItem at = synced.find(syncedId);
    while (at != null && !at.parentId().equals(synced.rootId())) {
      String parentId = at.parentId();
      if (local.contains(parentId)) {
        return skipped.contains(parentId);
      }
      at = synced.find(parentId);
    }
    return false;
  }

  /**
   * Whether the remote folder {@code folderId} lies, here, inside an unsyncable folder: what the
   * server puts there cannot come down, and what is there locally cannot follow.
   */
  boolean frozenRemotely(String folderId) {
    if (skipped.isEmpty()) {
      return false;
    }
    String at = folderId;
    while (!at.equals(remote.rootId())) {
      if (local.contains(at)) {
        return skipped.contains(at);
      }
      SyncItem folder = remote.find(at);
      if (folder == null) {
        return false;
      }
      at = folder.parentId();
    }
    return false;
  }

  List<SyncAction.Unsyncable> reports() {
    return reports;
  }
}
