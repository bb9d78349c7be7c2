package coffer.core.sync;

import coffer.core.name.NodeName;
import coffer.core.sync.Entry.Side;
import coffer.core.sync.SyncAction.ConflictCopy;
import coffer.core.sync.SyncAction.Forget;
import coffer.core.sync.SyncAction.LocalDelete;
import coffer.core.sync.SyncAction.LocalMkdir;
import coffer.core.sync.SyncAction.LocalMove;
import coffer.core.sync.SyncAction.LocalWrite;
import coffer.core.sync.SyncAction.RecordSynced;
import coffer.core.sync.SyncAction.RemoteDelete;
import coffer.core.sync.SyncAction.RemoteMkdir;
import coffer.core.sync.SyncAction.RemoteMove;
import coffer.core.sync.SyncAction.RemoteUpload;
import coffer.core.sync.SyncAction.Unsyncable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns settled entries into this round's actions, and keeps only those that are safe to run in any
 * order and at once (see {@link Independence}): nothing under a folder deleted as a whole, and no
 * two actions that would step on each other's paths or ancestors.
 */
final class Batch {

  private final Sides sides;

  Batch(Sides sides) {
    this.sides = sides;
  }

  List<SyncAction> actions() {
    List<Planned> planned = new ArrayList<>();
    Set<String> doomed = foldersWithLocalDeletesInside();
    for (Entry e : sides.ordered) {
      Planned p = plan(e, doomed);
      if (p != null) {
        planned.add(p);
      }
    }
    planned = withoutCoveredByFolderDeletes(planned);
    List<SyncAction> actions = new ArrayList<>(sides.unsyncables.reports());
    for (Planned p : new Independence(sides).filter(planned)) {
      actions.add(p.action());
    }
    return List.copyOf(actions);
  }

  private Planned plan(Entry e, Set<String> doomed) {
    if (e.skipped) {
      return null;
    }
    if (e.loser) {
      return conflictCopy(e, doomed);
    }
    if (e.mergeWith != null) {
      return recordSynced(new RecordSynced(e.id, e.mergeWith));
    }
    return switch (e.status) {
      case READY -> place(e, e.target);
      case MAKING_WAY -> place(e, e.makeWay);
      case NONE, WAITING -> e.merged ? null : e.conflicted ? conflictCopy(e, doomed) : work(e);
    };
  }

  private Planned recordSynced(RecordSynced record) {
    // The two agree on a parent id, which copying a local ancestor aside would change.
    Planned planned = new Planned(record, record.localId()).readsLocal(record.localId());
    String parentId = sides.remote.find(record.id()).parentId();
    if (sides.synced.contains(record.localId())) {
      return planned.recordsSynced(record.localId(), parentId);
    }
    return sides.synced.contains(record.id())
        ? planned.recordsSynced(record.id(), parentId)
        : planned;
  }

  private Planned place(Entry e, Location to) {
    String id = e.id;
    boolean folder = e.any().isFolder();
    Planned planned =
        switch (e.placeIn) {
          case LOCAL -> {
            String toPath = sides.localChildPath(to.parentId(), to.name());
            if (e.local != null) {
              yield new Planned(new LocalMove(id, sides.local.path(id), toPath), id)
                  .readsLocal(id)
                  .movesLocal()
                  .writesLocal(to.parentId());
            }
            SyncAction create =
                folder
                    ? new LocalMkdir(id, toPath)
                    : new LocalWrite(id, toPath, e.remote.content(), e.remote.revision(), null);
            yield new Planned(create, id).writesLocal(to.parentId());
          }
          case REMOTE -> {
            if (e.remote != null) {
              yield new Planned(new RemoteMove(id, to.parentId(), to.name()), id)
                  .movesRemote(to.parentId());
            }
            if (folder) {
              yield new Planned(new RemoteMkdir(id, to.parentId(), to.name()), id)
                  .writesRemote(to.parentId());
            }
            yield new Planned(
                    new RemoteUpload(id, to.parentId(), to.name(), e.local.content(), null), id)
                .readsLocal(id)
                .writesRemote(to.parentId());
          }
        };
    return e.synced == null ? planned : planned.recordsSynced(id, to.parentId());
  }

  private Planned conflictCopy(Entry e, Set<String> doomed) {
    if (doomed.contains(e.id)) {
      // Copying a folder aside gives it a new id, so what it holds would look moved into it and
      // be kept: what the other side deleted inside is deleted first.
      return null;
    }
    SyncItem item = e.local;
    String parentId = item.parentId();
    String name =
        ConflictNames.firstFree(
            ConflictNames.copyName(
                item.name(),
                item.kind(),
                sides.context.deviceName(),
                sides.context.now(),
                sides.context.zone()),
            item.kind(),
            candidate ->
                sides.taken(Side.LOCAL, parentId, candidate)
                    || sides.taken(Side.REMOTE, parentId, candidate));
    sides.reserve(Side.LOCAL, new Slot(parentId, NodeName.key(name)));
    return new Planned(
            new ConflictCopy(e.id, sides.local.path(e.id), sides.localChildPath(parentId, name)),
            e.id)
        .readsLocal(e.id)
        .movesLocal()
        .writesLocal(parentId)
        .copiesAside();
  }

  private Planned work(Entry e) {
    if (e.work == null) {
      return null;
    }
    String id = e.id;
    return switch (e.work) {
      case LocalWrite w -> new Planned(w, id).readsLocal(id);
      case LocalDelete d -> new Planned(d, id).readsLocal(id).movesLocal();
      case RemoteUpload u -> new Planned(u, id).readsLocal(id);
      case RecordSynced r -> recordSynced(r);
      case RemoteDelete d -> new Planned(d, id);
      case Forget f -> new Planned(f, id);
      case RemoteMkdir a -> throw unexpected(a);
      case RemoteMove a -> throw unexpected(a);
      case LocalMkdir a -> throw unexpected(a);
      case LocalMove a -> throw unexpected(a);
      case ConflictCopy a -> throw unexpected(a);
      case Unsyncable a -> throw unexpected(a);
    };
  }

  private static IllegalStateException unexpected(SyncAction action) {
    return new IllegalStateException("not a work action: " + action);
  }

  /**
   * The local folders holding an item whose local delete is due. (One that waits for something else
   * does not hold up a copy: that something may be waiting for the copy.)
   */
  private Set<String> foldersWithLocalDeletesInside() {
    Set<String> folders = new HashSet<>();
    for (Entry e : sides.ordered) {
      if (e.work instanceof LocalDelete && !e.skipped) {
        SyncItem at = e.local;
        while (folders.add(at.parentId()) && !at.parentId().equals(sides.root)) {
          at = sides.local.find(at.parentId());
        }
      }
    }
    return folders;
  }

  /**
   * A folder deleted (or forgotten) as a whole takes its subtree with it; the descendants' own
   * deletes would race it.
   */
  private List<Planned> withoutCoveredByFolderDeletes(List<Planned> planned) {
    Set<String> wholeFolders = new HashSet<>();
    for (Planned p : planned) {
      boolean delete =
          p.action() instanceof LocalDelete
              || p.action() instanceof RemoteDelete
              || p.action() instanceof Forget;
      SyncItem base = sides.synced.find(p.subject());
      if (delete && base != null && base.isFolder()) {
        wholeFolders.add(p.subject());
      }
    }
    if (wholeFolders.isEmpty()) {
      return planned;
    }
    List<Planned> kept = new ArrayList<>(planned.size());
    for (Planned p : planned) {
      if (!Independence.hasAncestorIn(sides.synced, p.subject(), wholeFolders)) {
        kept.add(p);
      }
    }
    return kept;
  }
}
