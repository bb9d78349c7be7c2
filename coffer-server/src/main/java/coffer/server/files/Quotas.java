package coffer.server.files;

import coffer.core.error.InsufficientStorageException;
import coffer.server.auth.Principal;
import coffer.server.metadata.MetadataTransaction;
import java.util.Optional;

/**
 * Storage quotas: the bytes of live files in every namespace a user owns (a shared folder counts
 * against its owner, whoever writes in it; versions and the trash do not count). Checked before an
 * upload's bytes are accepted and again, inside the transaction, whenever content is committed, a
 * tree comes back from the trash or moves into another owner's folder. Content that shrinks or
 * stays the same size is always accepted, so nobody is stuck unable to edit.
 */
final class Quotas {
  private Quotas() {}

  /** Throws when growing {@code namespaceId}'s owner by {@code growth} bytes would pass a quota. */
  static void check(MetadataTransaction tx, Principal p, String namespaceId, long growth) {
    if (growth <= 0) {
      return;
    }
    String owner = tx.namespaces().ownerId(namespaceId);
    Optional<Long> quota = tx.users().quota(owner);
    if (quota.isEmpty()) {
      return;
    }
    long used = tx.users().usedBytes(owner);
    if (used + growth > quota.get()) {
      throw exceeded(p, owner, used + growth, quota.get());
    }
  }

  /**
   * Takes the lock a quota check takes, the row of {@code namespaceId}'s owner (on PostgreSQL, held
   * to the end of the transaction), without checking anything: writers that take it go one after
   * the other, each seeing what the one before it committed.
   */
  static void lockOwner(MetadataTransaction tx, String namespaceId) {
    tx.users().quota(tx.namespaces().ownerId(namespaceId));
  }

  /**
   * For a change whose size is easier to see afterwards (a tree restored or moved in): call before
   * it, then {@link Guard#after} in the same transaction, which throws (rolling it back) when the
   * owner of {@code namespaceId} grew past their quota.
   */
  static Guard before(MetadataTransaction tx, String namespaceId) {
    String owner = tx.namespaces().ownerId(namespaceId);
    Optional<Long> quota = tx.users().quota(owner);
    return new Guard(owner, quota.orElse(null), quota.isEmpty() ? 0 : tx.users().usedBytes(owner));
  }

  record Guard(String owner, Long quota, long usedBefore) {
    void after(MetadataTransaction tx, Principal p) {
      if (quota == null) {
        return;
      }
      long used = tx.users().usedBytes(owner);
      if (used > usedBefore && used > quota) {
        throw exceeded(p, owner, used, quota);
      }
    }
  }

  private static InsufficientStorageException exceeded(
      Principal p, String owner, long needed, long quota) {
    if (!owner.equals(p.userId())) {
      // Someone else's folder: their figures are theirs.
      return new InsufficientStorageException(
          "quota-exceeded", "The owner of this shared folder has no room left for this.");
    }
    return new InsufficientStorageException(
        "quota-exceeded",
        "This would take your files to "
            + needed
            + " bytes, over your quota of "
            + quota
            + ". Delete files you no longer need, or ask an admin for more space.");
  }
}
