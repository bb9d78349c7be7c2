package coffer.server.files;

import coffer.core.api.FileMetadata;
import coffer.core.api.VersionInfo;
import coffer.core.error.ConflictException;
import coffer.core.model.Node;
import coffer.server.auth.Principal;
import coffer.server.metadata.MetadataStore;
import java.util.List;

/**
 * A file's version history: every revision is kept, and restoring one writes a new revision with
 * its content (through the ordinary commit, so it is journaled and checked like any upload).
 */
public final class VersionService {

  private final MetadataStore store;
  private final FileService files;

  public VersionService(MetadataStore store, FileService files) {
    this.store = store;
    this.files = files;
  }

  /** A file's versions, newest first. */
  public List<VersionInfo> versions(Principal p, String fileId) {
    FileMetadata file = files.metadata(p, fileId);
    if (!file.kind().equals("file")) {
      throw new ConflictException(
          "is-a-folder", "'" + file.name() + "' is a folder; it has no versions.");
    }
    return store
        .read(
            tx -> {
              Node node = Access.visible(tx, p, file.id());
              return tx.revisions().forNode(node.namespaceId(), node.id());
            })
        .stream()
        .map(
            r ->
                new VersionInfo(
                    r.id(),
                    r.size(),
                    r.contentHash().hex(),
                    r.createdAt(),
                    r.deviceId(),
                    r.id().equals(file.revision())))
        .toList();
  }

  /** Makes an old version current again, as a new revision; the history keeps every version. */
  public FileMetadata restore(Principal p, String fileId, String revisionId) {
    FileMetadata current = files.metadata(p, fileId);
    FileContent old = files.content(p, fileId, revisionId);
    return files.replaceContent(p, fileId, current.revision(), old.manifest());
  }
}
