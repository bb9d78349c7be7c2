package coffer.core.model;

import java.time.Instant;

/**
 * A public link to a file or folder: whoever holds its token may read what it points at, without an
 * account. Only a hash of the token is stored, and of the password when there is one.
 *
 * @param id the link's own id, for listing and revoking it
 * @param namespaceId the namespace of the linked node
 * @param nodeId the linked file or folder
 * @param createdBy the user who made the link
 * @param createdAt when
 * @param expiresAt when it stops working, or null for never
 * @param passwordHash the Argon2id hash of its password, or null when it has none
 * @param revokedAt when it was revoked, or null while it is not
 */
public record Link(
    String id,
    String namespaceId,
    String nodeId,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    String passwordHash,
    Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }

  /** Whether the link has expired at {@code now}: its expiry is {@code now} or earlier. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  public boolean hasPassword() {
    return passwordHash != null;
  }
}
