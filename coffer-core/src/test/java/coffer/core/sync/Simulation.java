package coffer.core.sync;

import coffer.core.name.NodeName;
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
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * An in-memory server, disk and executor. The server keeps names unique per folder by key, checks
 * base revisions, refuses to move a folder into itself and deletes whole subtrees; the disk is
 * addressed by path. The executor applies actions as {@link SyncAction} specifies and records them
 * in the synced tree.
 *
 * <p>A random share of actions fails before doing anything, as a network error would. Another share
 * "crashes" the executor halfway: the action takes effect on the server or the disk, but nothing is
 * recorded (no re-key, no synced tree update), and what it created on disk is found by the next
 * scan under a fresh local id. Any other refusal means the planner emitted an action that is not
 * safe in its batch, and fails the test with the reason.
 */
final class Simulation {

  final MutableTree server;
  final MutableTree disk;
  final MutableTree synced;
  private final Random random;
  private final double failureRate;
  private final double crashRate;
  private boolean crashing;
  private int counter;

  Simulation(
      MutableTree server,
      MutableTree disk,
      MutableTree synced,
      Random random,
      double failureRate,
      double crashRate) {
    this.server = server;
    this.disk = disk;
    this.synced = synced;
    this.random = random;
    this.failureRate = failureRate;
    this.crashRate = crashRate;
  }

  /**
   * Applies the action; false if it failed as a network error would (and changed nothing) or the
   * executor crashed before recording it.
   */
  boolean apply(SyncAction action) {
    if (!(action instanceof Unsyncable) && random.nextDouble() < failureRate) {
      return false;
    }
    crashing = !(action instanceof Unsyncable) && random.nextDouble() < crashRate;
    switch (action) {
      case RemoteMkdir a -> remoteMkdir(a);
      case RemoteUpload a -> remoteUpload(a);
      case RemoteMove a -> remoteMove(a);
      case RemoteDelete a -> remoteDelete(a);
      case LocalMkdir a -> localMkdir(a);
      case LocalWrite a -> localWrite(a);
      case LocalMove a -> localMove(a);
      case LocalDelete a -> localDelete(a);
      case ConflictCopy a -> conflictCopy(a);
      case RecordSynced a -> recordSynced(a);
      case Forget a -> forget(a);
      case Unsyncable a -> {}
    }
    return !crashing;
  }

  private void remoteMkdir(RemoteMkdir a) {
    serverCanPlace(a, a.parentId(), a.name(), null);
    SyncItem local = disk.get(a.localId());
    check(local != null && local.isFolder(), a, "the local folder is not on disk");
    String id = "n" + ++counter;
    server.put(SyncItem.folder(id, a.parentId(), a.name()));
    if (crashing) {
      return;
    }
    disk.rekey(a.localId(), id);
    synced.rekey(a.localId(), id);
    synced.put(SyncItem.folder(id, a.parentId(), a.name()));
  }

  private void remoteUpload(RemoteUpload a) {
    SyncItem local = disk.get(a.localId());
    check(local != null && !local.isFolder(), a, "the local file is not on disk");
    check(local.content().equals(a.content()), a, "the disk holds other content");
    String revision = "v" + ++counter;
    if (a.baseRevision() == null) {
      serverCanPlace(a, a.parentId(), a.name(), null);
      check(!server.contains(a.localId()), a, "a new file carries a server id");
      String id = "n" + ++counter;
      SyncItem created = SyncItem.file(id, a.parentId(), a.name(), a.content(), revision);
      server.put(created);
      if (crashing) {
        return;
      }
      disk.rekey(a.localId(), id);
      synced.rekey(a.localId(), id);
      synced.put(created);
    } else {
      SyncItem current = server.get(a.localId());
      check(current != null && !current.isFolder(), a, "no such file on the server");
      check(
          current.parentId().equals(a.parentId()) && current.name().equals(a.name()),
          a,
          "the file is elsewhere on the server");
      check(a.baseRevision().equals(current.revision()), a, "stale base revision");
      server.put(current.withContent(a.content(), revision));
      if (crashing) {
        return;
      }
      SyncItem base = synced.get(a.localId());
      check(base != null, a, "the file is not in the synced tree");
      synced.put(base.withContent(a.content(), revision));
    }
  }

  private void remoteMove(RemoteMove a) {
    SyncItem current = server.get(a.id());
    check(current != null, a, "no such node on the server");
    serverCanPlace(a, a.parentId(), a.name(), a.id());
    check(
        !a.parentId().equals(a.id()) && !server.isAncestor(a.id(), a.parentId()),
        a,
        "a folder cannot move into itself");
    server.put(current.withLocation(a.parentId(), a.name()));
    if (crashing) {
      return;
    }
    SyncItem base = synced.get(a.id());
    check(base != null, a, "the node is not in the synced tree");
    synced.put(base.withLocation(a.parentId(), a.name()));
  }

  private void remoteDelete(RemoteDelete a) {
    SyncItem current = server.get(a.id());
    check(current != null, a, "no such node on the server");
    check(
        current.isFolder() ? a.baseRevision() == null : a.baseRevision().equals(current.revision()),
        a,
        "stale base revision");
    for (String id : server.subtree(a.id())) {
      check(!disk.contains(id), a, "it would delete " + id + ", which is still on disk");
    }
    server.removeSubtree(a.id());
    if (!crashing) {
      synced.removeSubtree(a.id());
    }
  }

  private void localMkdir(LocalMkdir a) {
    check(server.contains(a.id()), a, "not a server folder");
    String parentId = diskCanPlace(a, a.path(), null);
    String name = lastName(a.path());
    if (crashing) {
      disk.put(SyncItem.folder("L" + ++counter, parentId, name));
      return;
    }
    disk.put(SyncItem.folder(a.id(), parentId, name));
    synced.put(SyncItem.folder(a.id(), parentId, name));
  }

  private void localWrite(LocalWrite a) {
    SyncItem remote = server.get(a.id());
    check(
        remote != null
            && a.content().equals(remote.content())
            && a.revision().equals(remote.revision()),
        a,
        "the server has no such revision");
    if (a.expectedContent() == null) {
      check(!disk.contains(a.id()), a, "the file is already on disk");
      String parentId = diskCanPlace(a, a.path(), null);
      String name = lastName(a.path());
      if (crashing) {
        disk.put(SyncItem.file("L" + ++counter, parentId, name, a.content(), null));
        return;
      }
      disk.put(SyncItem.file(a.id(), parentId, name, a.content(), null));
      synced.put(SyncItem.file(a.id(), parentId, name, a.content(), a.revision()));
    } else {
      SyncItem local = disk.get(a.id());
      check(
          a.id().equals(disk.resolve(a.path())) && !local.isFolder(),
          a,
          "the file is not at the path");
      check(a.expectedContent().equals(local.content()), a, "the disk holds other content");
      disk.put(local.withContent(a.content(), null));
      if (crashing) {
        return;
      }
      SyncItem base = synced.get(a.id());
      check(base != null, a, "the file is not in the synced tree");
      synced.put(base.withContent(a.content(), a.revision()));
    }
  }

  private void localMove(LocalMove a) {
    check(a.id().equals(disk.resolve(a.fromPath())), a, "the item is not at the path");
    String parentId = diskCanPlace(a, a.toPath(), a.id());
    check(
        !parentId.equals(a.id()) && !disk.isAncestor(a.id(), parentId),
        a,
        "a folder cannot move into itself");
    String name = lastName(a.toPath());
    disk.put(disk.get(a.id()).withLocation(parentId, name));
    if (crashing) {
      return;
    }
    SyncItem base = synced.get(a.id());
    check(base != null, a, "the item is not in the synced tree");
    synced.put(base.withLocation(parentId, name));
  }

  private void localDelete(LocalDelete a) {
    check(a.id().equals(disk.resolve(a.path())), a, "the item is not at the path");
    SyncItem local = disk.get(a.id());
    if (local.isFolder()) {
      check(a.expectedContent() == null, a, "a folder has no content");
      for (String id : disk.subtree(a.id())) {
        SyncItem there = disk.get(id);
        SyncItem base = synced.get(id);
        check(
            base != null
                && there.parentId().equals(base.parentId())
                && Location.nfc(there.name()).equals(Location.nfc(base.name()))
                && Objects.equals(there.content(), base.content()),
            a,
            "the disk's subtree is not the synced one at " + id);
      }
      for (String id : synced.subtree(a.id())) {
        check(!server.contains(id), a, "it would delete " + id + ", which is on the server");
      }
    } else {
      check(Objects.equals(a.expectedContent(), local.content()), a, "other content on disk");
      check(!server.contains(a.id()), a, "the file is still on the server");
    }
    disk.removeSubtree(a.id());
    if (!crashing) {
      synced.removeSubtree(a.id());
    }
  }

  private void conflictCopy(ConflictCopy a) {
    check(a.localId().equals(disk.resolve(a.path())), a, "the item is not at the path");
    String parentId = diskCanPlace(a, a.copyPath(), a.localId());
    check(parentId.equals(disk.get(a.localId()).parentId()), a, "the copy is in another folder");
    String fresh = "L" + ++counter;
    disk.rekey(a.localId(), fresh);
    disk.put(disk.get(fresh).withLocation(parentId, lastName(a.copyPath())));
  }

  private void recordSynced(RecordSynced a) {
    SyncItem local = disk.get(a.localId());
    SyncItem remote = server.get(a.id());
    check(local != null && remote != null, a, "one side does not have it");
    check(
        local.kind() == remote.kind() && Objects.equals(local.content(), remote.content()),
        a,
        "the two sides disagree on content");
    check(
        local.parentId().equals(remote.parentId())
            && NodeName.key(local.name()).equals(NodeName.key(remote.name())),
        a,
        "the two sides disagree on location");
    check(a.localId().equals(a.id()) || !disk.contains(a.id()), a, "the id is already on disk");
    check(
        a.localId().equals(a.id()) || !synced.contains(a.localId()) || !synced.contains(a.id()),
        a,
        "both ids are in the synced tree");
    if (crashing) {
      return;
    }
    disk.rekey(a.localId(), a.id());
    synced.rekey(a.localId(), a.id());
    synced.put(remote);
  }

  private void forget(Forget a) {
    if (crashing) {
      return;
    }
    // Only an item sync no longer sees may outlive its record: one under an unsyncable name on
    // disk, or one the server holds in a folder that is unsyncable on disk.
    Set<String> unsyncable = Scenario.unsyncable(disk);
    for (String id : synced.subtree(a.id())) {
      check(
          !server.contains(id) || frozen(server.get(id).parentId(), unsyncable),
          a,
          id + " still exists on the server");
      check(!disk.contains(id) || unsyncable.contains(id), a, id + " still exists on disk");
    }
    synced.removeSubtree(a.id());
  }

  /** Whether the server's folder is, on disk, inside an unsyncable folder. */
  private boolean frozen(String folderId, Set<String> unsyncable) {
    for (String at = folderId; !at.equals(server.rootId); at = server.get(at).parentId()) {
      if (disk.contains(at)) {
        return unsyncable.contains(at);
      }
    }
    return false;
  }

  private void serverCanPlace(SyncAction a, String parentId, String name, String moving) {
    check(server.isFolder(parentId), a, "the server has no folder " + parentId);
    check(NodeName.of(name).value().equals(name), a, "the server takes NFC names");
    check(server.sameKey(parentId, name, moving).isEmpty(), a, "the server has that name");
  }

  /** Checks that {@code path} can take an item (other than {@code moving}); its parent's id. */
  private String diskCanPlace(SyncAction a, String path, String moving) {
    int slash = path.lastIndexOf('/');
    String parentId = disk.resolve(slash < 0 ? "" : path.substring(0, slash));
    check(parentId != null && disk.isFolder(parentId), a, "no folder to hold " + path);
    check(disk.sameKey(parentId, lastName(path), moving).isEmpty(), a, "the disk has that name");
    NodeName.of(lastName(path));
    return parentId;
  }

  private static String lastName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static void check(boolean condition, SyncAction action, String why) {
    if (!condition) {
      throw new AssertionError("refused " + action + ": " + why);
    }
  }
}
