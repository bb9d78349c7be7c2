package coffer.server.files;

import coffer.server.blob.BlobStore;
import coffer.server.metadata.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes chunks that nothing refers to: no revision, and no upload session still alive. A chunk
 * younger than the grace period is never deleted, so an upload that has stored chunks but not yet
 * opened a session or committed keeps them. Each decision and deletion happens inside one metadata
 * write transaction that blocks concurrent commits from adding references meanwhile.
 */
public final class GarbageCollector {

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final MetadataStore store;
  private final BlobStore blobs;
  private final Clock clock;
  private final Duration grace;

  public GarbageCollector(MetadataStore store, BlobStore blobs, Clock clock, Duration grace) {
    this.store = store;
    this.blobs = blobs;
    this.clock = clock;
    this.grace = grace;
  }

  /** What one collection did. */
  public record Result(int expiredUploads, long chunksDeleted, long bytesFreed) {}

  public Result collect() {
    Instant now = clock.instant();
    Instant cutoff = now.minus(grace);
    int expired = store.write(tx -> tx.uploads().deleteExpired(now));
    long[] deleted = new long[2];
    blobs.list(
        blob -> {
          if (!blob.modified().isBefore(cutoff)) {
            return;
          }
          boolean gone =
              store.write(
                  tx -> {
                    tx.chunks().lockForCollection();
                    if (tx.chunks().referenced(blob.hash(), now)) {
                      return false;
                    }
                    blobs.delete(blob.hash());
                    tx.chunks().forget(blob.hash());
                    return true;
                  });
          if (gone) {
            deleted[0]++;
            deleted[1] += blob.length();
          }
        });
    Result result = new Result(expired, deleted[0], deleted[1]);
    if (result.chunksDeleted() > 0 || result.expiredUploads() > 0) {
      LOG.info(
          "garbage collection: {} expired uploads, {} chunks ({} bytes) deleted",
          result.expiredUploads(),
          result.chunksDeleted(),
          result.bytesFreed());
    }
    return result;
  }
}
