package coffer.server.files;

import coffer.core.error.BadRequestException;
import coffer.core.error.ConflictException;
import coffer.core.error.NotFoundException;
import coffer.core.model.Node;
import coffer.core.name.NodeName;
import coffer.core.name.RemotePath;
import coffer.server.auth.Principal;
import coffer.server.metadata.MetadataTransaction;

/**
 * Finding nodes in a caller's tree, inside a transaction: by id (a stranger's or a deleted node is
 * "not found"), by path, and the folders a change needs.
 */
final class TreeLookup {
  private TreeLookup() {}

  static Node folderAt(MetadataTransaction tx, Principal p, RemotePath path) {
    Node node = at(tx, p, path);
    if (!node.isFolder()) {
      throw new ConflictException("not-a-folder", "'" + node.name() + "' is a file.");
    }
    return node;
  }

  static Node folder(MetadataTransaction tx, Principal p, String id) {
    Node node = visible(tx, p, id);
    if (!node.isFolder()) {
      throw new ConflictException("not-a-folder", "'" + node.name() + "' is a file.");
    }
    return node;
  }

  static Node at(MetadataTransaction tx, Principal p, RemotePath path) {
    Node current = root(tx, p);
    for (NodeName name : path.names()) {
      current =
          tx.nodes()
              .child(p.homeNamespace(), current.id(), name.key())
              .orElseThrow(() -> new NotFoundException("not-found", "Nothing at " + path + "."));
    }
    return current;
  }

  static Node root(MetadataTransaction tx, Principal p) {
    String rootId = tx.namespaces().rootId(p.homeNamespace());
    return tx.nodes().byId(rootId).orElseThrow();
  }

  /** A live node the caller may see; anything else is "not found". */
  static Node visible(MetadataTransaction tx, Principal p, String id) {
    if (id == null || id.isBlank()) {
      throw new BadRequestException("invalid-id", "A file id is required.");
    }
    if (id.equals(FileService.ROOT_ALIAS)) {
      return root(tx, p);
    }
    if (id.indexOf('\u0000') >= 0) {
      // No id holds NUL, and PostgreSQL cannot even compare text that does.
      throw new NotFoundException("not-found", "No file or folder with that id.");
    }
    return tx.nodes()
        .byId(id)
        .filter(n -> n.namespaceId().equals(p.homeNamespace()) && !n.deleted())
        .orElseThrow(() -> new NotFoundException("not-found", "No file or folder with that id."));
  }
}
