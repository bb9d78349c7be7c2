package coffer.client.sync;

import coffer.core.model.NodeKind;
import coffer.core.sync.ConflictNames;
import coffer.core.sync.SyncItem;
import coffer.core.sync.SyncTree;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps local changes inside shared folders this account may only view from ever reaching the
 * planner as uploads the server would refuse, without losing them: a changed, new, moved or renamed
 * file there is moved out to the top of the sync folder as a conflicted copy (which then uploads to
 * the account's own tree), and what was deleted or changed there comes back from the server.
 */
final class ReadOnlyGuard {

  private final Path root;
  private final SyncIndex index;
  private final SyncLog log;
  private final String device;

  private final java.time.Clock clock;

  ReadOnlyGuard(Path root, SyncIndex index, SyncLog log, String device, java.time.Clock clock) {
    this.root = root;
    this.index = index;
    this.log = log;
    this.device = device;
    this.clock = clock;
  }

  /**
   * Puts local changes under read-only folders aside; true when it moved or forgot anything (the
   * caller then scans again). A local change is what differs from what both sides last agreed on
   * (the synced tree): the owner's own changes, already in the remote tree but not yet downloaded,
   * are not the viewer's and are left for the planner to bring.
   */
  boolean divert(SyncTree remote, SyncTree local, SyncTree synced) throws IOException {
    Set<String> roots = index.readOnlyRoots();
    boolean changed = false;
    for (String top : roots) {
      if (!remote.contains(top) || !local.contains(top)) {
        continue;
      }
      List<SyncItem> inside =
          local.items().stream()
              .filter(i -> local.isAncestor(top, i.id()))
              .sorted(
                  Comparator.comparingInt((SyncItem i) -> local.path(i.id()).length()).reversed())
              .toList();
      for (SyncItem item : inside) {
        // Compared by parent and name, not path: renaming the mount itself (the member's own
        // folder) changes nothing inside it.
        boolean asAgreed =
            synced
                .get(item.id())
                .filter(
                    s ->
                        s.parentId().equals(item.parentId())
                            && s.name().equals(item.name())
                            && Objects.equals(s.content(), item.content()))
                .isPresent();
        if (asAgreed) {
          continue;
        }
        Path file = root.resolve(local.path(item.id()));
        if (item.kind() == NodeKind.FILE) {
          keepAside(local.path(item.id()), file, item.name(), NodeKind.FILE);
        } else {
          try {
            Files.delete(file); // emptied by the files moved out of it, deepest first
          } catch (DirectoryNotEmptyException holdsIgnored) {
            // Only ignored files are left in it (.DS_Store and the like): it goes aside whole.
            keepAside(local.path(item.id()), file, item.name(), NodeKind.FOLDER);
          } catch (NoSuchFileException gone) {
            // already gone
          }
        }
        index.forget(item.id(), false);
        changed = true;
      }
      // What was deleted here locally is still on the server: forget that both sides agreed on
      // it, so it downloads again instead of being deleted there.
      for (SyncItem gone : synced.items()) {
        if (synced.isAncestor(top, gone.id())
            && !local.contains(gone.id())
            && remote.contains(gone.id())) {
          index.forget(gone.id(), false);
          changed = true;
        }
      }
    }
    return changed;
  }

  private void keepAside(String path, Path file, String name, NodeKind kind) throws IOException {
    String copy =
        ConflictNames.firstFree(
            ConflictNames.copyName(name, kind, device, clock.instant(), ZoneId.systemDefault()),
            kind,
            candidate -> Files.exists(root.resolve(candidate)));
    Files.move(file, root.resolve(copy));
    index.recordConflict(path, copy, clock.instant().toString());
    log.problem(
        path, "is in a folder shared with you read-only; your version is kept as '" + copy + "'");
  }
}
