package coffer.core.sync;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the planner asks about whole folders when one side deleted a folder: did the other side
 * change anything inside it (then it is kept), or is its subtree there exactly the synced one (then
 * one delete takes it all)? Each answer is computed for every folder in one pass per tree, so a
 * plan stays linear in the size of the trees.
 *
 * <p>Items moved into a folder that is unsyncable locally, on either side, are out of sync's sight:
 * folders do not wait for them, but a folder's delete never takes a server copy of one.
 */
final class SubtreeFacts {

  private final SyncTree remote;
  private final SyncTree local;
  private final SyncTree synced;
  private final Unsyncables unsyncables;

  private final Set<String> localDirty = new HashSet<>();
  private final Set<String> remoteDirty = new HashSet<>();
  private final Set<String> localDiffers = new HashSet<>();
  private final Set<String> remoteDiffers = new HashSet<>();
  private final Set<String> keptLocally = new HashSet<>();
  private final Set<String> seenLocally = new HashSet<>();
  private final Set<String> keptRemotely = new HashSet<>();
  private final Set<String> seenRemotely = new HashSet<>();

  SubtreeFacts(SyncTree remote, SyncTree local, SyncTree synced, Unsyncables unsyncables) {
    this.remote = remote;
    this.local = local;
    this.synced = synced;
    this.unsyncables = unsyncables;
    markDirty(local, true, localDirty);
    markDirty(remote, false, remoteDirty);
    List<SyncItem> order = synced.preOrder();
    markDiffering(
        order,
        local,
        true,
        base -> outOfSightLocally(base) || (outOfSightRemotely(base) && !local.contains(base.id())),
        localDiffers);
    markDiffering(
        order,
        remote,
        false,
        base ->
            outOfSightRemotely(base) || (outOfSightLocally(base) && !remote.contains(base.id())),
        remoteDiffers);
    markHolding(
        order,
        base ->
            local.contains(base.id()) && remote.contains(base.id()) && !outOfSightRemotely(base),
        keptLocally);
    markHolding(order, base -> local.contains(base.id()) && !outOfSightLocally(base), seenLocally);
    markHolding(
        order,
        base ->
            remote.contains(base.id()) && !(outOfSightRemotely(base) && !local.contains(base.id())),
        keptRemotely);
    markHolding(
        order,
        base ->
            remote.contains(base.id())
                && !unsyncables.frozenRemotely(remote.find(base.id()).parentId()),
        seenRemotely);
  }

  /**
   * Whether something under the local folder {@code id} is new, edited, moved, unsyncable, or
   * stranded (moved by the server into a folder that is unsyncable here).
   */
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

  /**
   * Whether a synced descendant of {@code id} exists both locally (wherever it is, even out of
   * sight) and remotely: deleting the remote folder could take a copy the disk still holds.
   */
  boolean descendantKeptLocally(String id) {
    return keptLocally.contains(id);
  }

  /** Whether a synced descendant of {@code id} exists remotely, wherever it is now. */
  boolean descendantKeptRemotely(String id) {
    return keptRemotely.contains(id);
  }

  /** Whether a synced descendant of {@code id} exists locally where sync sees it. */
  boolean descendantSeenLocally(String id) {
    return seenLocally.contains(id);
  }

  /**
   * Whether a synced descendant of {@code id} exists remotely where this side can follow it: not in
   * a folder that is unsyncable here.
   */
  boolean descendantSeenRemotely(String id) {
    return seenRemotely.contains(id);
  }

  private void markDirty(SyncTree side, boolean isLocal, Set<String> dirty) {
    for (SyncItem item : side.preOrder().reversed()) {
      if (dirty.contains(item.id()) || changed(item, isLocal)) {
        dirty.add(item.parentId());
      }
    }
  }

  private boolean changed(SyncItem item, boolean isLocal) {
    if (isLocal && (unsyncables.skipped(item.id()) || stranded(item))) {
      // Either stays here for good, so its folder stays too.
      return true;
    }
    SyncItem base = synced.find(item.id());
    if (base != null && same(item, base)) {
      return false;
    }
    // A change both sides already agree on (as after an executor stopped before recording it)
    // is a record still to be made, not an edit on this side.
    SyncItem other = (isLocal ? remote : local).find(item.id());
    return other == null || !same(item, other);
  }

  private static boolean same(SyncItem a, SyncItem b) {
    return Location.of(a).equals(Location.of(b)) && Objects.equals(a.content(), b.content());
  }

  /**
   * Marks the synced folders whose subtree on {@code side} is not the synced one: more or fewer
   * children, or a synced child missing, moved, edited or itself differing; and their ancestors.
   * Synced items that {@code ignored} accepts count as gone from the synced tree.
   */
  private void markDiffering(
      List<SyncItem> order,
      SyncTree side,
      boolean isLocal,
      Predicate<SyncItem> ignored,
      Set<String> differs) {
    Map<String, Integer> expected = new HashMap<>();
    for (SyncItem base : order) {
      if (!ignored.test(base)) {
        expected.merge(base.parentId(), 1, Integer::sum);
      }
    }
    for (SyncItem base : order) {
      if (base.isFolder()
          && side.children(base.id()).size() != expected.getOrDefault(base.id(), 0)) {
        differs.add(base.id());
      }
    }
    for (SyncItem base : order.reversed()) {
      if (ignored.test(base)) {
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

  /** Marks the synced folders with a descendant that {@code counts} accepts. */
  private static void markHolding(
      List<SyncItem> order, Predicate<SyncItem> counts, Set<String> holding) {
    for (SyncItem base : order.reversed()) {
      if (holding.contains(base.id()) || counts.test(base)) {
        holding.add(base.parentId());
      }
    }
  }

  /** Whether the server moved a local item into a folder that is unsyncable here. */
  private boolean stranded(SyncItem localItem) {
    SyncItem there = remote.find(localItem.id());
    return there != null && unsyncables.frozenRemotely(there.parentId());
  }

  /**
   * Whether a synced item was moved locally into an unsyncable folder (or renamed there so), or is
   * still inside one that was: sync no longer sees it, so its old folder does not wait for it.
   */
  private boolean outOfSightLocally(SyncItem base) {
    for (SyncItem at = base; at != null; at = synced.find(at.parentId())) {
      SyncItem now = local.find(at.id());
      if (now == null || !unsyncables.skipped(at.id())) {
        return false;
      }
      if (!now.parentId().equals(at.parentId())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the server moved a synced item into a folder that is unsyncable here, or it is still
   * inside one it moved there: it cannot come down, so its old folder does not wait for it.
   */
  private boolean outOfSightRemotely(SyncItem base) {
    for (SyncItem at = base; at != null; at = synced.find(at.parentId())) {
      SyncItem now = remote.find(at.id());
      if (now == null) {
        return false;
      }
      if (!now.parentId().equals(at.parentId())) {
        return unsyncables.frozenRemotely(now.parentId());
      }
    }
    return false;
  }
}
