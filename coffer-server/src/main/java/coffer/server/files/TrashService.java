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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /** What can be restored, most recently deleted first. */
  public List<TrashItem> list(Principal p) {
    return store.read(
        tx ->
            tx.nodes().trashed(p.homeNamespace()).stream()
                .map(
                    t ->
                        new TrashItem(
                            t.node().id(),
                            t.node().kind().wire(),
                            t.node().name(),
                            NodePaths.pathOf(tx, t.node()),
                            t.node().size(),
                            t.deletedAt()))
                .toList());
  }

  /** Brings an item back with everything deleted along with it. */
  public FileMetadata restore(Principal p, String id) {
    Instant now = clock.instant();
    record Restored(FileMetadata view, long seq) {}
    Restored restored =
        store.write(
            tx -> {
              Trashed item = find(tx, p, id);
              Node node = item.node();
              Node parent =
                  tx.nodes()
                      .byId(node.parentId())
                      .filter(n -> !n.deleted())
                      .orElseGet(() -> TreeLookup.root(tx, p));
              NodeName name = freeName(tx, p, parent, NodeName.of(node.name()));
              tx.nodes()
                  .restore(
                      p.homeNamespace(),
                      node.id(),
                      item.deletedAt(),
                      parent.id(),
                      name.value(),
                      name.key());
              Node back = tx.nodes().byId(node.id()).orElseThrow();
              String path = NodePaths.pathOf(tx, back);
              long seq = Namespaces.journal(tx, back, JournalOp.RESTORE, path, now);
              // Everything that came back with it gets an entry too, parents first, so a device
              // following the feed rebuilds the restored subtree from the feed alone.
              List<Node> inside = new ArrayList<>();
              for (String below : tx.nodes().subtreeIds(p.homeNamespace(), back.id())) {
                tx.nodes()
                    .byId(below)
                    .filter(n -> !n.deleted() && !n.id().equals(back.id()))
                    .ifPresent(inside::add);
              }
              Map<String, String> paths = new HashMap<>();
              for (Node n : inside) {
                paths.put(n.id(), NodePaths.pathOf(tx, n));
              }
              inside.sort(
                  Comparator.comparingLong(
                      n -> paths.get(n.id()).chars().filter(c -> c == '/').count()));
              for (Node n : inside) {
                seq = Namespaces.journal(tx, n, JournalOp.RESTORE, paths.get(n.id()), now);
              }
              return new Restored(FileViews.of(back, path), seq);
            });
    notifier.publish(p.homeNamespace(), restored.seq());
    return restored.view();
  }

  /** Deletes one item of the trash for good. */
  public void purge(Principal p, String id) {
    store.write(
        tx -> {
          find(tx, p, id);
          return tx.nodes().purge(p.homeNamespace(), id);
        });
  }

  /** Empties the trash; returns how many items it held. */
  public int purgeAll(Principal p) {
    return store.write(
        tx -> {
          List<Trashed> items = tx.nodes().trashed(p.homeNamespace());
          items.forEach(t -> tx.nodes().purge(p.homeNamespace(), t.node().id()));
          return items.size();
        });
  }

  private static Trashed find(MetadataTransaction tx, Principal p, String id) {
    return tx.nodes().trashed(p.homeNamespace()).stream()
        .filter(t -> t.node().id().equals(id))
        .findFirst()
        .orElseThrow(
            () -> new NotFoundException("not-in-trash", "Nothing in the trash has that id."));
  }

  /** The name itself when free, else "name (restored).ext", "name (restored 2).ext", … */
  private static NodeName freeName(
      MetadataTransaction tx, Principal p, Node parent, NodeName name) {
    String ext = name.extension();
    String stem = name.value().substring(0, name.value().length() - ext.length());
    NodeName candidate = name;
    for (int n = 1;
        tx.nodes().child(p.homeNamespace(), parent.id(), candidate.key()).isPresent();
        n++) {
      candidate = NodeName.of(stem + (n == 1 ? " (restored)" : " (restored " + n + ")") + ext);
    }
    return candidate;
  }
}
