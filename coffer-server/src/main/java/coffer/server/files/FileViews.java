package coffer.server.files;

import coffer.core.api.FileMetadata;
import coffer.core.model.Node;

/** Maps nodes to the API's view of them. */
final class FileViews {
  private FileViews() {}

  static FileMetadata of(Node node, String path) {
    return of(node, path, node.parentId());
  }

  static FileMetadata of(Node node, String path, String parentId) {
    return new FileMetadata(
        node.id(),
        node.kind().wire(),
        node.name(),
        path,
        parentId,
        node.size(),
        node.contentHash() == null ? null : node.contentHash().hex(),
        node.revisionId(),
        node.createdAt(),
        node.modifiedAt());
  }
}
