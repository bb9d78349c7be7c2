package coffer.core.sync;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the planner asks about whole folders when one side deleted a folder: did the other side
 * change anything inside it (then it is kept), or is its subtree there exactly the synced one (then
 * one delete takes it all)? Each answer is computed for every folder in one pass per tree, so a
 * plan stays linear in the size of the trees.
 */
final class SubtreeFacts {

  private final SyncTree synced;
  private final SyncTree local;
  private final Unsyncables unsyncables;

  private final Set<String> localDirty = new HashSet<>();
  private final Set<String> remoteDirty = new HashSet<>();
  private final Set<String> localDiffers = new HashSet<>();
  private final Set<String> remoteDiffers = new HashSet<>();
  private final Set<String> inLocal = new HashSet<>();
  private final Set<String> inRemote = new HashSet<>();

  SubtreeFacts(SyncTree remote, SyncTree local, SyncTree synced, Unsyncables unsyncables) {
    this.synced = synced;
    this.local = local;
    this.unsyncables = unsyncables;
    markDirty(local, true, localDirty);
    markDirty(remote, false, remoteDirty);
    List<SyncItem> syncedOrder = synced.preOrder();
    markDiffering(syncedOrder, local, true, localDiffers);
    markDiffering(syncedOrder, remote, false, remoteDiffers);
    markPresent(syncedOrder, local, true, inLocal);
    markPresent(syncedOrder, remote, false, inRemote);
  }

  /** Whether something under the local folder {@code id} is new, edited, moved or unsyncable. */
  boolean localChangedBelow(String id) {
    return localDirty.contains(id);
  }

  /** Whether something under the remote folder {@code id} is new, edited or moved. */
  boolean remoteChangedBelow(String id) {
    return remoteDirty.contains(id);
  }

  /** Whether the local subtree of the synced folder {@code id} is exactly the synced one. */
  boolean localMatchesSynced(String id) {
    return !localDiffers.contains(id);
  }

  /** Whether the remote subtree of the synced folder {@code id} is exactly the synced one. */
  boolean remoteMatchesSynced(String id) {
    return !remoteDiffers.contains(id);
  }

  /** Whether any synced descendant of {@code id} still exists locally, wherever it is now. */
  boolean descendantInLocal(String id) {
    return inLocal.contains(id);
  }

  /** Whether any synced descendant of {@code id} still exists remotely, wherever it is now. */
  boolean descendantInRemote(String id) {
    return inRemote.contains(id);
  }

  private void markDirty(SyncTree side, boolean isLocal, Set<String> dirty) {
    List<SyncItem> order = side.preOrder();
    for (SyncItem item : order.reversed()) {
      if (dirty.contains(item.id()) || changed(item, isLocal)) {
        dirty.add(item.parentId());
      }
    }
  }

  private boolean changed(SyncItem item, boolean isLocal) {
    if (isLocal && unsyncables.skipped(item.id())) {
      return true;
    }
    SyncItem base = synced.find(item.id());
    return base == null
        || !Location.of(item).equals(Location.of(base))
        || !Objects.equals(item.content(), base.content());
  }

  private void markDiffering(
      List<SyncItem> syncedOrder, SyncTree side, boolean isLocal, Set<String> differs) {
    // A folder with more or fewer children than in the synced tree differs; so does one whose
    // synced child is missing, moved, edited or itself differs, and then so do its ancestors.
    Map<String, Integer> expected = new HashMap<>();
    for (SyncItem base : syncedOrder) {
      if (!(isLocal && outOfSight(base))) {
        expected.merge(base.parentId(), 1, Integer::sum);
      }
    }
    for (SyncItem base : syncedOrder) {
      if (base.isFolder()
          && side.children(base.id()).size() != expected.getOrDefault(base.id(), 0)) {
        differs.add(base.id());
      }
    }
    for (SyncItem base : syncedOrder.reversed()) {
      if (isLocal && outOfSight(base)) {
        continue;
      }
      SyncItem now = side.find(base.id());
      boolean same =
          now != null
              && !(isLocal && unsyncables.skipped(base.id()))
              && Location.of(now).equals(Location.of(base))
              && Objects.equals(now.content(), base.content())
              && !differs.contains(base.id());
      if (!same) {
        differs.add(base.parentId());
      }
    }
  }

  private void markPresent(
      List<SyncItem> syncedOrder, SyncTree side, boolean isLocal, Set<String> in) {
    for (SyncItem base : syncedOrder.reversed()) {
      if (isLocal && outOfSight(base)) {
        continue;
      }
      if (side.contains(base.id()) || in.contains(base.id())) {
        in.add(base.parentId());
      }
    }
  }

  /**
   * Whether a synced item was moved locally into an unsyncable folder (or renamed there so): sync
   * no longer sees it, so its old folder does not wait for it.
   */
  private boolean outOfSight(SyncItem base) {
    SyncItem now = local.find(base.id());
    return now != null && unsyncables.skipped(base.id()) && !now.parentId().equals(base.parentId());
  }
}
