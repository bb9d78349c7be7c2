package coffer.server.files;

import coffer.core.error.ConflictException;
import coffer.core.error.NotFoundException;
import coffer.core.model.Node;
import coffer.core.name.NodeName;
import coffer.core.name.RemotePath;
import coffer.server.auth.Principal;
import coffer.server.metadata.MetadataTransaction;

/**
 * Finding nodes in a caller's tree, inside a transaction: by id (what {@link Access} lets them
 * see), by path (through mounts into shared namespaces), and the folders a change needs.
 */
final class TreeLookup {
  private TreeLookup() {}

  /**
   * The folder at {@code path}, as a parent for new children: for a mount, the shared namespace's
   * root.
   */
  static Node folderAt(MetadataTransaction tx, Principal p, RemotePath path) {
    return contents(tx, p, at(tx, p, path));
  }

  /** The folder {@code id}, as a parent for new children: for a mount, the namespace's root. */
  static Node folder(MetadataTransaction tx, Principal p, String id) {
    return contents(tx, p, visible(tx, p, id));
  }

  private static Node contents(MetadataTransaction tx, Principal p, Node node) {
    if (!node.isFolder()) {
      throw new ConflictException("not-a-folder", "'" + node.name() + "' is a file.");
    }
    return Access.inside(tx, p, node);
  }

  /** The node at {@code path}; a mount at the end is returned as itself. */
  static Node at(MetadataTransaction tx, Principal p, RemotePath path) {
    Node current = root(tx, p);
    for (NodeName name : path.names()) {
      Node folder = Access.inside(tx, p, current);
      current =
          tx.nodes()
              .child(folder.namespaceId(), folder.id(), name.key())
              .orElseThrow(() -> new NotFoundException("not-found", "Nothing at " + path + "."));
    }
    return current;
  }

  static Node root(MetadataTransaction tx, Principal p) {
    return Access.root(tx, p);
  }

  /** A live node the caller may see; anything else is "not found". */
  static Node visible(MetadataTransaction tx, Principal p, String id) {
    return Access.visible(tx, p, id);
  }
}
