package coffer.server.metadata;

import coffer.core.model.Revision;
import java.time.Instant;
import java.util.Optional;

/** Immutable file revisions with their manifests. */
public interface RevisionRecords {

  /** Stores a revision and its manifest. */
  void insert(Revision revision);

  /** A file's revisions without their manifests, newest first. */
  java.util.List<Revision> forNode(String namespaceId, String nodeId);

  /**
   * Deletes up to {@code limit} old revisions (with their manifests) that retention lets go: not a
   * file's current revision, replaced by a newer one before {@code cutoff} (so the file as it was
   * at any moment since the cutoff stays, however many versions came after it), and not among the
   * {@code keepNewest} newest revisions of their file. Returns how many it deleted.
   */
  int prune(Instant cutoff, int keepNewest, int limit);

  /** A revision with its manifest. */
  Optional<Revision> byId(String id);
}
