package coffer.server.files;

import coffer.core.model.Node;
import coffer.server.metadata.MetadataTransaction;

/** A node's path from its namespace's root, found by walking up its parents. */
public final class NodePaths {
  private NodePaths() {}

  public static String pathOf(MetadataTransaction tx, Node node) {
    StringBuilder path = new StringBuilder();
    for (Node n = node; n != null && !n.isRoot(); n = parentOf(tx, n)) {
      path.insert(0, n.name()).insert(0, '/');
    }
    return path.isEmpty() ? "/" : path.toString();
  }

  static Node parentOf(MetadataTransaction tx, Node node) {
    return node.parentId() == null ? null : tx.nodes().byId(node.parentId()).orElseThrow();
  }
}
