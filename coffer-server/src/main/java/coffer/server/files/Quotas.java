package coffer.server.files;

import coffer.core.error.InsufficientStorageException;
import coffer.server.metadata.MetadataTransaction;
import java.util.Optional;

/**
 * Storage quotas: the bytes of live files in every namespace a user owns (a shared folder counts
 * against its owner, whoever writes in it; versions and the trash do not count). Checked before an
 * upload's bytes are accepted and again, inside the transaction, when content is committed; a file
 * that shrinks or stays the same size is always accepted, so nobody is stuck unable to edit.
 */
final class Quotas {
  private Quotas() {}

  /** Throws when growing {@code namespaceId}'s owner by {@code growth} bytes would pass a quota. */
  static void check(MetadataTransaction tx, String namespaceId, long growth) {
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
      throw new InsufficientStorageException(
          "quota-exceeded",
          "This needs "
              + growth
              + " more bytes, but the account holding it uses "
              + used
              + " of its "
              + quota.get()
              + "-byte quota. Delete files (and empty the trash of those you no longer need) or"
              + " ask an admin for more space.");
    }
  }
}
