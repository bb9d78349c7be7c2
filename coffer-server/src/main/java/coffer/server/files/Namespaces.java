package coffer.server.files;

import coffer.core.model.Ids;
import coffer.core.model.JournalEntry;
import coffer.core.model.JournalOp;
import coffer.core.model.Node;
import coffer.core.model.NodeKind;
import coffer.server.metadata.MetadataTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Creating namespaces and appending to their journals, inside a caller's transaction. */
public final class Namespaces {
  private Namespaces() {}

  /** Creates a namespace with an empty root folder. */
  public static void create(
      MetadataTransaction tx, String namespaceId, String ownerId, Instant now) {
    String rootId = Ids.newId();
    tx.namespaces().insert(namespaceId, ownerId, rootId, now);
    tx.nodes()
        .insert(
            new Node(
                rootId, namespaceId, null, "", NodeKind.FOLDER, null, 0, null, now, now, false),
            "");
  }

  /** Appends one journal entry under the namespace's next sequence number and returns it. */
  static long journal(MetadataTransaction tx, Node node, JournalOp op, String path, Instant at) {
    long seq = tx.namespaces().nextSeq(node.namespaceId());
    tx.journal()
        .append(
            new JournalEntry(
                node.namespaceId(),
                seq,
                node.id(),
                op,
                op == JournalOp.DELETE ? null : node.revisionId(),
                path,
                at,
                node.parentId()));
    return seq;
  }

  /**
   * Journals every live node under {@code node} (not the node itself), parents first, so a device
   * following the feed rebuilds the subtree from the feed alone; returns the last sequence number
   * used (0 when the subtree is empty).
   */
  static long journalDescendants(MetadataTransaction tx, Node node, JournalOp op, Instant at) {
    List<Node> inside = new ArrayList<>();
    for (String below : tx.nodes().subtreeIds(node.namespaceId(), node.id())) {
      tx.nodes()
          .byId(below)
          .filter(n -> !n.deleted() && !n.id().equals(node.id()))
          .ifPresent(inside::add);
    }
    Map<String, String> paths = new HashMap<>();
    for (Node n : inside) {
      paths.put(n.id(), NodePaths.pathOf(tx, n));
    }
    inside.sort(
        Comparator.comparingLong(n -> paths.get(n.id()).chars().filter(c -> c == '/').count()));
    long seq = 0;
    for (Node n : inside) {
      seq = journal(tx, n, op, paths.get(n.id()), at);
    }
    return seq;
  }
}
