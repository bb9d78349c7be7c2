package coffer.server.files;

import coffer.core.model.Ids;
import coffer.core.model.JournalEntry;
import coffer.core.model.JournalOp;
import coffer.core.model.Node;
import coffer.core.model.NodeKind;
import coffer.server.metadata.MetadataTransaction;
import java.time.Instant;

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
}
