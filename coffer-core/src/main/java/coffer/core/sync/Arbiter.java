package coffer.core.sync;

import coffer.core.model.NodeKind;
import coffer.core.name.NodeName;
import coffer.core.sync.Entry.Origin;
import coffer.core.sync.Entry.Side;
import coffer.core.sync.Entry.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settles who gets each name and when: two items that end up at one slot (the remote one keeps it,
 * or two new folders merge), including names held for good by items sync must leave alone; items
 * that wait for a parent to appear or a slot to be vacated; and rings of such waits (a swap of
 * names), which one item breaks by stepping aside under a temporary name.
 */
final class Arbiter {

  private final Sides sides;

  Arbiter(Sides sides) {
    this.sides = sides;
  }

  void settle() {
    settleLocalClashes();
    settleClaims();
    for (Entry e : sides.ordered) {
      place(e);
    }
    linkWaitingDeletes();
    breakWaitCycles();
  }

  /**
   * A case-sensitive disk can hold siblings the server would take for one name ({@code a.txt} and
   * {@code A.txt}, or one name in NFC and NFD). One keeps the name, preferably the one that had it
   * before; the others go to conflicted-copy names.
   */
  private void settleLocalClashes() {
    for (List<SyncItem> clash : sides.local.clashes()) {
      List<Entry> staying = new ArrayList<>();
      for (SyncItem item : clash) {
        Entry e = sides.entries.get(item.id());
        if (!e.skipped && e.target != null && e.target.slot().equals(Location.of(item).slot())) {
          staying.add(e);
        }
      }
      if (staying.size() < 2) {
        continue;
      }
      staying.sort(
          Comparator.comparing((Entry e) -> !atHome(e))
              .thenComparing(e -> e.synced == null)
              .thenComparing(e -> e.local.name())
              .thenComparing(e -> e.id));
      for (Entry loser : staying.subList(1, staying.size())) {
        loser.loser = true;
      }
    }
  }

  private static boolean atHome(Entry e) {
    return e.synced != null && Location.of(e.local).equals(Location.of(e.synced));
  }

  /**
   * An item that ends up at a local location and one that ends up at a remote location may want the
   * same slot: the remote one keeps it. The local one goes to a conflicted-copy name, unless both
   * are new and alike (two folders, or two files with the same content): then they are one.
   */
  private void settleClaims() {
    Map<Slot, Entry> remoteClaims = new HashMap<>();
    for (Entry e : sides.ordered) {
      if ((e.skipped || e.heldRemotely) && e.remote != null) {
        // Left alone, it stays where it is on the server for good.
        remoteClaims.put(Location.of(e.remote).slot(), e);
      } else if (e.target != null && !e.skipped && e.origin == Origin.REMOTE) {
        remoteClaims.put(e.target.slot(), e);
      }
    }
    for (Entry e : sides.ordered) {
      if (e.target == null || e.skipped || e.loser) {
        continue;
      }
      Location claim =
          e.origin == Origin.LOCAL ? e.target : stranded(e) ? Location.of(e.local) : null;
      if (claim == null) {
        continue;
      }
      Entry rival = remoteClaims.get(claim.slot());
      if (rival == null || rival == e) {
        continue;
      }
      if (alike(e, rival)) {
        e.mergeWith = rival.id;
        rival.merged = true;
      } else {
        e.loser = true;
      }
    }
  }

  /**
   * Whether the item should follow the server into a folder that is unsyncable here: it cannot, so
   * it stays where it is locally for good.
   */
  private boolean stranded(Entry e) {
    return e.placeIn == Side.LOCAL
        && e.local != null
        && sides.unsyncables.frozenRemotely(e.target.parentId());
  }

  /**
   * Whether a local claimant and a remote one can simply become one item: the local one is new, or
   * re-created after a remote delete while the remote one is new (as after an executor stopped
   * between creating an item on the server and recording it); and they are alike.
   */
  private static boolean alike(Entry local, Entry remote) {
    boolean newHere = local.synced == null && local.remote == null;
    boolean recreated = local.synced != null && local.remote == null && remote.synced == null;
    return (newHere || recreated)
        && remote.local == null
        && remote.remote != null
        && local.local.kind() == remote.remote.kind()
        && Objects.equals(local.local.content(), remote.remote.content());
  }

  /**
   * Readies the item's creation or move in the tree it must change, when its parent is there and
   * its slot is free; otherwise it waits, noting for whom where that is known.
   */
  private void place(Entry e) {
    if (e.placeIn == null || e.skipped || e.loser || e.merged || e.mergeWith != null) {
      return;
    }
    Side side = e.placeIn;
    SyncTree tree = sides.tree(side);
    Location to = e.target;
    if (!sides.folderExists(side, to.parentId())) {
      e.waitFor(sides.entries.get(to.parentId()), false);
      return;
    }
    boolean present = tree.contains(e.id);
    if (present && (to.parentId().equals(e.id) || tree.isAncestor(e.id, to.parentId()))) {
      // Its new parent is still inside it here; what lies between moves out first.
      e.waitFor(firstToMoveOut(side, e.id, to.parentId()), false);
      return;
    }
    Slot slot = to.slot();
    for (SyncItem occupant : tree.allByKey(slot.parentId(), slot.key())) {
      if (!occupant.id().equals(e.id)) {
        e.waitFor(sides.entries.get(occupant.id()), true);
        return;
      }
    }
    if (!sides.reserve(side, slot)) {
      e.waitFor(null, false);
      return;
    }
    e.status = Status.READY;
  }

  /** The topmost item between {@code top} and {@code bottom} in a tree that moves in it. */
  private Entry firstToMoveOut(Side side, String top, String bottom) {
    SyncTree tree = sides.tree(side);
    Entry first = null;
    for (SyncItem at = tree.find(bottom);
        at != null && !at.id().equals(top);
        at = tree.find(at.parentId())) {
      Entry e = sides.entries.get(at.id());
      if (e.placeIn == side && !e.loser && !e.merged && e.mergeWith == null) {
        first = e;
      }
    }
    return first;
  }

  /**
   * A folder deleted on one side waits while something it held still has to move out on the other;
   * noting for what lets a ring through such a wait be seen.
   */
  private void linkWaitingDeletes() {
    for (Entry e : sides.ordered) {
      boolean waitingDelete =
          e.target == null
              && e.work == null
              && !e.skipped
              && e.synced != null
              && e.synced.isFolder()
              && (e.local == null) != (e.remote == null);
      if (waitingDelete) {
        Entry mover = firstMovingDescendant(e.id);
        if (mover != null) {
          e.waitFor(mover, false);
        }
      }
    }
  }

  private Entry firstMovingDescendant(String folderId) {
    List<SyncItem> pending = new ArrayList<>(sides.synced.children(folderId));
    while (!pending.isEmpty()) {
      SyncItem item = pending.removeLast();
      Entry e = sides.entries.get(item.id());
      if (e.placeIn != null && e.status != Status.NONE) {
        return e;
      }
      pending.addAll(sides.synced.children(item.id()));
    }
    return null;
  }

  /**
   * Items waiting for each other in a ring (a swap or rotation of names, a new folder that needs
   * the name of an item that moves into it, an item that needs the name of the deleted folder it is
   * still in) would wait for ever. On each ring, one item that only lacks its slot is moved (or
   * created) in its new folder under a temporary name; failing that, one that holds a slot another
   * wants moves aside to a temporary name in its folder. Either way the next round sees the
   * temporary name as a rename on one side and carries it over.
   */
  private void breakWaitCycles() {
    for (Entry e : sides.ordered) {
      e.visit = 0;
    }
    for (Entry start : sides.ordered) {
      List<Entry> path = new ArrayList<>();
      Entry at = start;
      while (at != null && at.status == Status.WAITING && at.visit == 0) {
        at.visit = 1;
        path.add(at);
        at = at.waitsFor;
      }
      if (at != null && at.visit == 1) {
        breakRing(path.subList(path.indexOf(at), path.size()));
      }
      for (Entry e : path) {
        e.visit = 2;
      }
    }
  }

  private void breakRing(List<Entry> ring) {
    Entry mover = null;
    for (Entry e : ring) {
      if (e.waitsForSlot && canMoveAside(e, e.target.parentId())) {
        mover = mover == null || e.id.compareTo(mover.id) < 0 ? e : mover;
      }
    }
    if (mover != null) {
      makeWay(mover, mover.target.parentId(), mover.target.name());
      return;
    }
    for (int i = 0; i < ring.size(); i++) {
      Entry holder = ring.get((i + 1) % ring.size());
      if (ring.get(i).waitsForSlot
          && holder.placeIn == ring.get(i).placeIn
          && sides.tree(holder.placeIn).contains(holder.id)) {
        SyncItem now = sides.tree(holder.placeIn).find(holder.id);
        if (canMoveAside(holder, now.parentId())
            && (mover == null || holder.id.compareTo(mover.id) < 0)) {
          mover = holder;
        }
      }
    }
    if (mover != null) {
      SyncItem now = sides.tree(mover.placeIn).find(mover.id);
      makeWay(mover, now.parentId(), now.name());
    }
  }

  /**
   * Whether the item can be moved (or created), in the tree it changes, into {@code parentId} under
   * some free temporary name: the folder exists and is not inside it, and recording that keeps the
   * synced tree free of cycles.
   */
  private boolean canMoveAside(Entry e, String parentId) {
    SyncTree tree = sides.tree(e.placeIn);
    return sides.folderExists(e.placeIn, parentId)
        && !parentId.equals(e.id)
        && !tree.isAncestor(e.id, parentId)
        && (e.synced == null || !sides.synced.isAncestor(e.id, parentId));
  }

  private void makeWay(Entry e, String parentId, String baseName) {
    Side side = e.placeIn;
    Side other = side == Side.LOCAL ? Side.REMOTE : Side.LOCAL;
    NodeKind kind = e.any().kind();
    String name =
        ConflictNames.firstFree(
            ConflictNames.movingName(baseName, kind),
            kind,
            candidate ->
                sides.taken(side, parentId, candidate) || sides.taken(other, parentId, candidate));
    sides.reserve(side, new Slot(parentId, NodeName.key(name)));
    e.status = Status.MAKING_WAY;
    e.makeWay = new Location(parentId, name);
  }
}
