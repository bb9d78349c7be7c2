package coffer.server.metadata;

import coffer.core.hash.Sha256;
import coffer.core.model.Link;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Public links. Only a hash of each link's token is stored. */
public interface LinkRecords {

  /**
   * Stores a new link under the hash of its token. A token hash already stored is a {@code
   * ConflictException} of type {@code duplicate-link} (which a random 256-bit token never hits).
   */
  void insert(Link link, Sha256 tokenHash);

  /** The link a token belongs to, revoked or expired or not; empty when the hash is unknown. */
  Optional<Link> byTokenHash(Sha256 tokenHash);

  /** A link by its id, revoked or not, in whatever namespace it is; empty when there is none. */
  Optional<Link> byId(String linkId);

  /** The links to one node, newest first, revoked ones included. */
  List<Link> forNode(String namespaceId, String nodeId);

  /**
   * Revokes a link of the namespace at {@code at}; false when the namespace has no such link or it
   * is revoked already (the first revocation's time stays).
   */
  boolean revoke(String namespaceId, String linkId, Instant at);

  /** Revokes every live link of a namespace that one user made; returns how many. */
  int revokeMadeBy(String namespaceId, String userId, Instant at);
}
