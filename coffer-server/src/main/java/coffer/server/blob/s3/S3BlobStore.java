package coffer.server.blob.s3;

import coffer.core.error.StorageException;
import coffer.core.hash.Sha256;
import coffer.server.blob.BlobStore;
import coffer.server.blob.VerifiedBytes;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in an S3 bucket: {@code <prefix>chunks/ab/abcdef…}. A chunk is read whole into
 * memory (chunks are at most a few MiB), verified, then stored with its SHA-256 as the object's
 * checksum, so the store refuses bytes damaged on the way. S3 makes a PUT atomic and durable once
 * it is acknowledged.
 */
public final class S3BlobStore implements BlobStore {

  private final S3Bucket bucket;
  private final int pageSize;

  public S3BlobStore(S3Bucket bucket) {
    this(bucket, 1000);
  }

  /** A store whose listings ask for {@code pageSize} keys at a time (S3 gives at most 1,000). */
  S3BlobStore(S3Bucket bucket, int pageSize) {
    this.bucket = bucket;
    this.pageSize = pageSize;
  }

  @Override
  public void put(Sha256 hash, InputStream data, long length) {
    byte[] bytes;
    try {
      // Verified before anything is sent: the sender may be an untrusted uploader.
      bytes = VerifiedBytes.read(hash, data, length);
    } catch (IOException e) {
      throw new StorageException("blob-store", "cannot read upload of " + hash + ": " + e, e);
    }
    String key = bucket.chunkKey(hash);
    if (touch(key)) {
      return;
    }
    try {
      bucket
          .client()
          .putObject(
              b ->
                  b.bucket(bucket.bucket())
                      .key(key)
                      .contentLength((long) bytes.length)
                      .checksumSHA256(S3Bucket.checksum(hash))
                      .serverSideEncryption(bucket.encryption())
                      .ssekmsKeyId(bucket.kmsKeyId()),
              RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw bucket.failure("store", key, e);
    }
  }

  /**
   * Marks an existing blob as just stored, so garbage collection's grace period starts again: an
   * in-place copy that only renews its modification time. False when there is no such blob.
   */
  private boolean touch(String key) {
    for (int attempt = 1; ; attempt++) {
      try {
        bucket
            .client()
            .copyObject(
                b ->
                    b.sourceBucket(bucket.bucket())
                        .sourceKey(key)
                        .destinationBucket(bucket.bucket())
                        .destinationKey(key)
                        .metadataDirective(MetadataDirective.REPLACE)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                        .serverSideEncryption(bucket.encryption())
                        .ssekmsKeyId(bucket.kmsKeyId()));
        return true;
      } catch (SdkException e) {
        if (S3Bucket.notFound(e)) {
          return false;
        }
        // Several writers renewing one object at once can make a store refuse one copy (S3Proxy
        // does); the renewal only restarts garbage collection's grace period, and commits check
        // that their chunks exist, so a few tries are enough.
        if (attempt >= 3) {
          throw bucket.failure("renew", key, e);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L * attempt);
      }
    }
  }

  @Override
  public byte[] read(Sha256 hash) {
    String key = bucket.chunkKey(hash);
    byte[] data;
    try {
      data =
          bucket.client().getObjectAsBytes(b -> b.bucket(bucket.bucket()).key(key)).asByteArray();
    } catch (SdkException e) {
      if (S3Bucket.notFound(e)) {
        throw new StorageException("blob-missing", "blob " + hash + " is missing", e);
      }
      throw bucket.failure("read", key, e);
    }
    if (!hash.matches(Sha256.of(data).bytes())) {
      throw new StorageException("blob-corrupt", "blob " + hash + " is corrupt");
    }
    return data;
  }

  @Override
  public boolean exists(Sha256 hash) {
    String key = bucket.chunkKey(hash);
    try {
      bucket.client().headObject(b -> b.bucket(bucket.bucket()).key(key));
      return true;
    } catch (SdkException e) {
      if (S3Bucket.notFound(e)) {
        return false;
      }
      throw bucket.failure("look up", key, e);
    }
  }

  @Override
  public void delete(Sha256 hash) {
    String key = bucket.chunkKey(hash);
    try {
      bucket.client().deleteObject(b -> b.bucket(bucket.bucket()).key(key));
    } catch (SdkException e) {
      if (!S3Bucket.notFound(e)) {
        throw bucket.failure("delete", key, e);
      }
    }
  }

  @Override
  public void list(Consumer<StoredBlob> each) {
    String prefix = bucket.chunkPrefix();
    ListObjectsV2Request request =
        ListObjectsV2Request.builder()
            .bucket(bucket.bucket())
            .prefix(prefix)
            .maxKeys(pageSize)
            .build();
    try {
      for (S3Object object : bucket.client().listObjectsV2Paginator(request).contents()) {
        Sha256 hash = parse(prefix, object.key());
        if (hash != null) {
          each.accept(new StoredBlob(hash, object.size(), object.lastModified()));
        }
      }
    } catch (SdkException e) {
      throw bucket.failure("list", prefix, e);
    }
  }

  /** The hash a chunk key names, or null for any other object under the prefix. */
  private static Sha256 parse(String prefix, String key) {
    String rest = key.substring(prefix.length());
    int slash = rest.indexOf('/');
    if (slash != 2 || rest.length() != 3 + 64) {
      return null;
    }
    String hex = rest.substring(3);
    if (!hex.startsWith(rest.substring(0, 2))) {
      return null;
    }
    try {
      return Sha256.parse(hex);
    } catch (RuntimeException notAChunk) {
      return null;
    }
  }
}
