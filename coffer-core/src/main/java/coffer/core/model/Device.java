package coffer.core.model;

import java.time.Instant;

/**
 * A signed-in device: one bearer token, stored only as its hash. Revoking it signs that device out
 * and nothing else.
 */
public record Device(
    String id,
    String userId,
    String name,
    Instant createdAt,
    Instant lastUsedAt,
    Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }
}
