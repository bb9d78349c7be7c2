package coffer.server.ops;

import coffer.core.hash.Sha256;
import coffer.server.blob.BlobStore;
import coffer.server.metadata.MetadataStore;
import java.util.Optional;

/**
 * Whether this server should get traffic: its database and its blob store answer, and it is not
 * shutting down. A load balancer polls {@code /readyz}; {@code /healthz} only says the process
 * serves.
 */
public final class Readiness {

  private static final Sha256 PROBE = Sha256.of(new byte[0]);

  private final MetadataStore metadata;
  private final BlobStore blobs;
  private volatile boolean draining;

  public Readiness(MetadataStore metadata, BlobStore blobs) {
    this.metadata = metadata;
    this.blobs = blobs;
  }

  /** From now on the server says it is not ready, so new traffic goes elsewhere. */
  public void drain() {
    draining = true;
  }

  /** Why the server is not ready, or empty when it is. */
  public Optional<String> problem() {
    if (draining) {
      return Optional.of("shutting down");
    }
    try {
      // One indexed lookup, cheap however many accounts there are (a load balancer asks often).
      metadata.read(tx -> tx.users().byId("readiness-probe"));
    } catch (RuntimeException e) {
      return Optional.of("the database does not answer: " + e.getMessage());
    }
    try {
      blobs.exists(PROBE);
    } catch (RuntimeException e) {
      return Optional.of("the blob store does not answer: " + e.getMessage());
    }
    return Optional.empty();
  }
}
