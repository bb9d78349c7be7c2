package coffer.server.files;

import coffer.core.api.FileMetadata;
import coffer.core.api.TrashItem;
import coffer.core.error.NotFoundException;
import coffer.core.model.JournalOp;
import coffer.core.model.Node;
import coffer.core.name.NodeName;
import coffer.server.auth.Principal;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataTransaction;
import coffer.server.metadata.NodeRecords.Trashed;
import coffer.server.notify.Notifier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The trash: what was deleted stays restorable, with its history, until it is purged. Restoring
 * puts a node back where it was, or in the root when that folder is gone, under a free name;
 * purging deletes it for good, and garbage collection then reclaims chunks nothing else uses.
 */
public final class TrashService {

  private final MetadataStore store;
  private final Notifier notifier;
  private final Clock clock;

  public TrashService(MetadataStore store, Notifier notifier, Clock clock) {
    this.store = store;
    this.notifier = notifier;
    this.clock = clock;
  }

  /**
   * What can be restored, most recently deleted first: from the caller's home and from the shared
   * folders they may edit.
   */
  public List<TrashItem> list(Principal p) {
    return store.read(
        tx -> {
          List<Item> items = new ArrayList<>();
          for (Access.Grant grant : Access.namespaces(tx, p)) {
            if (grant.role().canWrite()) {
              tx.nodes().trashed(grant.namespaceId()).forEach(t -> items.add(new Item(t, grant)));
            }
          }
          items.sort(
              Comparator.comparing((Item i) -> i.trashed().deletedAt())
                  .reversed()
                  .thenComparing(i -> i.trashed().node().id()));
          return items.stream()
              .map(
                  i ->
                      new TrashItem(
                          i.trashed().node().id(),
                          i.trashed().node().kind().wire(),
                          i.trashed().node().name(),
                          pathOf(tx, i.grant(), i.trashed().node()),
                          i.trashed().node().size(),
                          i.trashed().deletedAt()))
              .toList();
        });
  }

  private record Item(Trashed trashed, Access.Grant grant) {}

  private static String pathOf(MetadataTransaction tx, Access.Grant grant, Node node) {
    return Access.Perspective.of(tx, grant).path(NodePaths.pathOf(tx, node));
  }

  /**
   * Brings an item back with everything deleted along with it. A viewer of the shared folder it was
   * deleted in sees it (its history) but may not change it: a 403 {@code read-only}.
   */
  public FileMetadata restore(Principal p, String id) {
    Instant now = clock.instant();
    record Restored(FileMetadata view, String namespaceId, long seq) {}
    Restored restored =
        store.write(
            tx -> {
              Item item = find(tx, p, id, false);
              Node node = item.trashed().node();
              String ns = node.namespaceId();
              // Back where it was, unless that folder is gone, moved to another namespace or
              // became a shared folder's mount since: then to the top of the namespace.
              Node parent =
                  tx.nodes()
                      .byId(node.parentId())
                      .filter(n -> !n.deleted() && n.namespaceId().equals(ns) && !n.isMount())
                      .orElseGet(() -> tx.nodes().byId(tx.namespaces().rootId(ns)).orElseThrow());
              NodeName name = freeName(tx, parent, NodeName.of(node.name()));
              Quotas.Guard quota = Quotas.before(tx, ns);
              tx.nodes()
                  .restore(
                      ns,
                      node.id(),
                      item.trashed().deletedAt(),
                      parent.id(),
                      name.value(),
                      name.key());
              Node back = tx.nodes().byId(node.id()).orElseThrow();
              quota.after(tx, p); // what comes back counts again
              long seq =
                  Namespaces.journal(tx, back, JournalOp.RESTORE, NodePaths.pathOf(tx, back), now);
              // Everything that came back with it gets an entry too, parents first.
              seq = Math.max(seq, Namespaces.journalDescendants(tx, back, JournalOp.RESTORE, now));
              return new Restored(Access.view(tx, p, back), ns, seq);
            });
    notifier.publish(restored.namespaceId(), restored.seq());
    return restored.view();
  }

  /** Deletes one item of the trash for good (only the owner of what it was in may). */
  public void purge(Principal p, String id) {
    store.write(
        tx -> {
          Node node = find(tx, p, id, true).trashed().node();
          return tx.nodes().purge(node.namespaceId(), id);
        });
  }

  /** Empties the trash of what the caller owns; returns how many items it held. */
  public int purgeAll(Principal p) {
    return store.write(
        tx -> {
          int purged = 0;
          for (Access.Grant grant : Access.namespaces(tx, p)) {
            if (grant.role() == coffer.core.model.Role.OWNER) {
              List<Trashed> items = tx.nodes().trashed(grant.namespaceId());
              items.forEach(t -> tx.nodes().purge(grant.namespaceId(), t.node().id()));
              purged += items.size();
            }
          }
          return purged;
        });
  }

  private static Item find(MetadataTransaction tx, Principal p, String id, boolean owned) {
    for (Access.Grant grant : Access.namespaces(tx, p)) {
      boolean allowed =
          owned ? grant.role() == coffer.core.model.Role.OWNER : grant.role().canWrite();
      // Purging is the owner's alone; restoring is any write's, which a viewer has not.
      boolean readOnly = !owned && !grant.role().canWrite();
      if (allowed || readOnly) {
        for (Trashed t : tx.nodes().trashed(grant.namespaceId())) {
          if (t.node().id().equals(id)) {
            if (readOnly) {
              throw Access.readOnly(t.node());
            }
            return new Item(t, grant);
          }
        }
      }
    }
    throw new NotFoundException("not-in-trash", "Nothing in the trash has that id.");
  }

  /** The name itself when free, else "name (restored).ext", "name (restored 2).ext", … */
  private static NodeName freeName(MetadataTransaction tx, Node parent, NodeName name) {
    String ext = name.extension();
    String stem = name.value().substring(0, name.value().length() - ext.length());
    NodeName candidate = name;
    for (int n = 1;
        tx.nodes().child(parent.namespaceId(), parent.id(), candidate.key()).isPresent();
        n++) {
      candidate = NodeName.of(stem + (n == 1 ? " (restored)" : " (restored " + n + ")") + ext);
    }
    return candidate;
  }
}
