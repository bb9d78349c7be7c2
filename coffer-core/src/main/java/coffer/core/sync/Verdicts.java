package coffer.core.sync;

import coffer.core.sync.Entry.Origin;
import coffer.core.sync.Entry.Side;
import coffer.core.sync.SyncAction.Forget;
import coffer.core.sync.SyncAction.LocalDelete;
import coffer.core.sync.SyncAction.LocalWrite;
import coffer.core.sync.SyncAction.RecordSynced;
import coffer.core.sync.SyncAction.RemoteDelete;
import coffer.core.sync.SyncAction.RemoteUpload;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Judges each id on its own, comparing each side with the synced tree (the merge base): where the
 * item ends up, and what is due when nothing stands in its way. Conflicts between items over names
 * are the {@link Arbiter}'s.
 */
final class Verdicts {

  private final Sides sides;

  private Verdicts(Sides sides) {
    this.sides = sides;
  }

  /** Creates and judges an entry for every id of the three trees. */
  static void judge(Sides sides) {
    Verdicts verdicts = new Verdicts(sides);
    Set<String> ids = new HashSet<>();
    for (SyncTree tree : List.of(sides.remote, sides.local, sides.synced)) {
      for (SyncItem item : tree.items()) {
        ids.add(item.id());
      }
    }
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(null);
    for (String id : sorted) {
      Entry entry = verdicts.judge(id);
      sides.ordered.add(entry);
      sides.entries.put(id, entry);
    }
    verdicts.undoCycles();
  }

  private Entry judge(String id) {
    Entry e = new Entry(id, sides.synced.find(id), sides.remote.find(id), sides.local.find(id));
    checkKind(e);
    if (e.local != null && sides.unsyncables.skipped(id)) {
      e.skipped = true;
      e.target = Location.of(e.local);
      e.origin = Origin.LOCAL;
    } else if (e.local == null && e.synced != null && sides.unsyncables.hides(id)) {
      e.skipped = true;
    } else if (e.synced == null) {
      judgeNew(e);
    } else if (e.remote != null && e.local != null) {
      judgeOnBothSides(e);
    } else if (e.local != null) {
      judgeRemotelyDeleted(e);
    } else if (e.remote != null) {
      judgeLocallyDeleted(e);
    } else if (!e.synced.isFolder()
        || !(sides.facts.descendantSeenLocally(id) || sides.facts.descendantSeenRemotely(id))) {
      // Deleted on both sides; a folder waits until nothing it held lives on anywhere.
      e.work = new Forget(id);
    }
    return e;
  }

  private void judgeNew(Entry e) {
    if (e.remote != null && e.local != null) {
      // Known to both sides but never recorded: an executor stopped between the server's answer
      // and the synced tree. Record it if the two agree; otherwise keep both.
      if (Objects.equals(e.remote.content(), e.local.content())
          && Location.of(e.local).slot().equals(Location.of(e.remote).slot())) {
        e.target = Location.of(e.local);
        e.origin = e.target.equals(Location.of(e.remote)) ? Origin.BOTH : Origin.LOCAL;
        e.work = new RecordSynced(e.id, e.id);
      } else {
        e.target = Location.of(e.remote);
        e.origin = Origin.REMOTE;
        e.conflicted = true;
      }
    } else if (e.remote != null) {
      place(e, Location.of(e.remote), Origin.REMOTE);
    } else {
      place(e, Location.of(e.local), Origin.LOCAL);
    }
  }

  private void judgeOnBothSides(Entry e) {
    Location base = Location.of(e.synced);
    Location remote = Location.of(e.remote);
    Location local = Location.of(e.local);
    if (local.equals(remote)) {
      e.target = remote;
      e.origin = Origin.BOTH;
    } else if (!remote.equals(base)) {
      // Moved remotely, and locally to elsewhere or not at all: the remote location wins.
      place(e, remote, Origin.REMOTE);
    } else {
      place(e, local, Origin.LOCAL);
    }
    boolean placed = local.equals(remote);
    if (e.synced.isFolder()) {
      if (placed && !local.equals(base)) {
        e.work = new RecordSynced(e.id, e.id);
      }
      return;
    }
    String localContent = e.local.content();
    String remoteContent = e.remote.content();
    String baseContent = e.synced.content();
    if (localContent.equals(remoteContent)) {
      boolean stale =
          !local.equals(base)
              || !localContent.equals(baseContent)
              || !Objects.equals(e.remote.revision(), e.synced.revision());
      if (placed && stale) {
        e.work = new RecordSynced(e.id, e.id);
      }
    } else if (localContent.equals(baseContent)) {
      e.work =
          new LocalWrite(
              e.id, sides.local.path(e.id), remoteContent, e.remote.revision(), localContent);
    } else if (remoteContent.equals(baseContent)) {
      e.work =
          new RemoteUpload(
              e.id, e.remote.parentId(), e.remote.name(), localContent, e.remote.revision());
    } else {
      e.conflicted = true;
    }
  }

  /** Deleted remotely: an edit beats the delete, else the delete comes here too. */
  private void judgeRemotelyDeleted(Entry e) {
    Location local = Location.of(e.local);
    boolean changed =
        !local.equals(Location.of(e.synced))
            || (e.local.isFolder()
                ? sides.facts.localChangedBelow(e.id)
                : !e.local.content().equals(e.synced.content()));
    if (changed) {
      place(e, local, Origin.LOCAL);
    } else if (!e.local.isFolder()) {
      e.work = new LocalDelete(e.id, sides.local.path(e.id), e.local.content());
    } else if (sides.facts.localMatchesSynced(e.id) && !sides.facts.descendantKeptRemotely(e.id)) {
      e.work = new LocalDelete(e.id, sides.local.path(e.id), null);
    }
    // Otherwise part of the folder moved away or was deleted locally: those go first.
  }

  /** Deleted locally: an edit beats the delete, else the delete goes to the server too. */
  private void judgeLocallyDeleted(Entry e) {
    Location remote = Location.of(e.remote);
    boolean changed =
        !remote.equals(Location.of(e.synced))
            || (e.remote.isFolder()
                ? sides.facts.remoteChangedBelow(e.id)
                : !e.remote.content().equals(e.synced.content()));
    if (changed) {
      place(e, remote, Origin.REMOTE);
    } else if (!e.remote.isFolder()) {
      e.work = new RemoteDelete(e.id, e.remote.revision());
    } else if (sides.facts.remoteMatchesSynced(e.id) && !sides.facts.descendantKeptLocally(e.id)) {
      e.work = new RemoteDelete(e.id, null);
    } else if (!sides.facts.descendantSeenLocally(e.id)
        && sides.facts.descendantKeptLocally(e.id)) {
      // What keeps it is out of sync's sight locally: it stays on the server, and keeps its name.
      e.heldRemotely = true;
    }
  }

  /** The item ends at {@code target}, taken from {@code origin}: the other side must follow. */
  private static void place(Entry e, Location target, Origin origin) {
    e.target = target;
    e.origin = origin;
    e.placeIn = origin == Origin.REMOTE ? Side.LOCAL : Side.REMOTE;
  }

  /**
   * Where the two sides moved folders into each other (locally A into B, remotely B into A), the
   * targets form a cycle; the remote side wins, so the local moves on the cycle are undone.
   */
  private void undoCycles() {
    while (true) {
      List<List<Entry>> cycles = cycles();
      boolean undone = false;
      for (List<Entry> cycle : cycles) {
        for (Entry e : cycle) {
          if (e.origin == Origin.LOCAL && e.synced != null && e.remote != null) {
            place(e, Location.of(e.remote), Origin.REMOTE);
            undone = true;
          }
        }
      }
      if (!undone) {
        // No cycle left, or one through an unsyncable folder, which never moves: the moves on it
        // wait for ever, as everything inside such a folder does.
        return;
      }
    }
  }

  private List<List<Entry>> cycles() {
    for (Entry e : sides.ordered) {
      e.visit = 0;
    }
    List<List<Entry>> cycles = new ArrayList<>();
    for (Entry start : sides.ordered) {
      List<Entry> path = new ArrayList<>();
      Entry at = start;
      while (at != null && at.visit == 0) {
        at.visit = 1;
        path.add(at);
        at = targetParent(at);
      }
      if (at != null && at.visit == 1) {
        cycles.add(List.copyOf(path.subList(path.indexOf(at), path.size())));
      }
      for (Entry e : path) {
        e.visit = 2;
      }
    }
    return cycles;
  }

  private Entry targetParent(Entry e) {
    if (e.target == null || e.skipped) {
      return null;
    }
    Entry parent = sides.entries.get(e.target.parentId());
    return parent != null && parent.target != null && !parent.skipped ? parent : null;
  }

  private static void checkKind(Entry e) {
    SyncItem any = e.any();
    for (SyncItem item : new SyncItem[] {e.synced, e.remote, e.local}) {
      if (item != null && item.kind() != any.kind()) {
        throw new IllegalArgumentException(
            "id " + e.id + " is a file in one tree and a folder in another");
      }
    }
  }
}
