package coffer.server.metadata;

import coffer.core.model.Revision;
import java.util.Optional;

/** Immutable file revisions with their manifests. */
public interface RevisionRecords {

  /** Stores a revision and its manifest. */
  void insert(Revision revision);

  /** A file's revisions without their manifests, newest first. */
  java.util.List<Revision> forNode(String namespaceId, String nodeId);

  /** A revision with its manifest. */
  Optional<Revision> byId(String id);
}
