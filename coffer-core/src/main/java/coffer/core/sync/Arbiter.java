package coffer.core.sync;

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
 * or two new folders merge), items that wait for a parent to appear or a slot to be vacated, and
 * cycles of such waits (a swap of names), which one item breaks by stepping aside.
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
      if (e.target != null && !e.skipped && e.origin == Origin.REMOTE) {
        remoteClaims.put(e.target.slot(), e);
      }
    }
    for (Entry e : sides.ordered) {
      if (e.target == null || e.skipped || e.loser || e.origin != Origin.LOCAL) {
        continue;
      }
      Entry rival = remoteClaims.get(e.target.slot());
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

  private static boolean alike(Entry newLocal, Entry remote) {
    return newLocal.synced == null
        && newLocal.remote == null
        && remote.local == null
        && remote.remote != null
        && newLocal.local.kind() == remote.remote.kind()
        && Objects.equals(newLocal.local.content(), remote.remote.content());
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
      e.waitFor(null, false);
      return;
    }
    Slot slot = to.slot();
    for (SyncItem occupant : tree.allByKey(slot.parentId(), slot.key())) {
      if (!occupant.id().equals(e.id)) {
        Entry other = sides.entries.get(occupant.id());
        boolean movesAway =
            other.placeIn == side && !other.loser && !other.merged && other.mergeWith == null;
        e.waitFor(movesAway ? other : null, true);
        return;
      }
    }
    if (!sides.reserve(side, slot)) {
      e.waitFor(null, false);
      return;
    }
    e.status = Status.READY;
  }

  /**
   * Items waiting for each other's slots in a ring (a swap or rotation of names, or a new folder
   * that needs the name of an item that moves into it) would wait for ever. On each ring, one item
   * that holds a slot another wants moves aside to a temporary name in its folder.
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
        List<Entry> ring = path.subList(path.indexOf(at), path.size());
        Entry aside = null;
        for (int i = 0; i < ring.size(); i++) {
          Entry waiting = ring.get(i);
          Entry holder = ring.get((i + 1) % ring.size());
          if (waiting.waitsForSlot
              && canStepAside(holder)
              && (aside == null || holder.id.compareTo(aside.id) < 0)) {
            aside = holder;
          }
        }
        if (aside != null) {
          makeWay(aside);
        }
      }
      for (Entry e : path) {
        e.visit = 2;
      }
    }
  }

  /** Whether recording the item's temporary place keeps the synced tree free of cycles. */
  private boolean canStepAside(Entry e) {
    String parentId = sides.tree(e.placeIn).find(e.id).parentId();
    return e.synced == null || !(parentId.equals(e.id) || sides.synced.isAncestor(e.id, parentId));
  }

  private void makeWay(Entry e) {
    Side side = e.placeIn;
    SyncItem now = sides.tree(side).find(e.id);
    Side other = side == Side.LOCAL ? Side.REMOTE : Side.LOCAL;
    String name =
        ConflictNames.firstFree(
            ConflictNames.movingName(now.name(), now.kind()),
            now.kind(),
            candidate ->
                sides.taken(side, now.parentId(), candidate)
                    || sides.taken(other, now.parentId(), candidate));
    sides.reserve(side, new Slot(now.parentId(), NodeName.key(name)));
    e.status = Status.MAKING_WAY;
    e.makeWay = new Location(now.parentId(), name);
  }
}
