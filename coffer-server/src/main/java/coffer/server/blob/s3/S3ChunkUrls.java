package coffer.server.blob.s3;

import coffer.core.api.ChunkTransfer;
import coffer.core.hash.Sha256;
import coffer.server.blob.ChunkUrls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Presigned URLs straight to S3, so chunk bytes never pass through the server. A PUT goes to the
 * user's own staging key, signed with the chunk's length and SHA-256 checksum, so S3 itself refuses
 * other bytes; {@link #claim} moves it into place at commit. A GET reads the chunk's key.
 *
 * <p>Staging keeps dedup safe: a user proves they hold a chunk only by uploading its bytes, and a
 * chunk another user stored is never written, revealed or granted on the strength of its hash.
 */
public final class S3ChunkUrls implements ChunkUrls {

  /** The longest a SigV4 presigned URL may live. */
  private static final Duration MAX_TTL = Duration.ofDays(7);

  /** Headers the HTTP client sets by itself, and which a caller may not set. */
  private static final List<String> CLIENT_HEADERS = List.of("host", "content-length");

  private final S3Bucket bucket;
  private final Clock clock;

  public S3ChunkUrls(S3Bucket bucket, Clock clock) {
    this.bucket = bucket;
    this.clock = clock;
  }

  @Override
  public ChunkTransfer put(Sha256 hash, int length, String userId, Instant expires) {
    String key = bucket.stagingKey(userId, hash);
    PresignedPutObjectRequest presigned =
        bucket
            .presigner()
            .presignPutObject(
                p ->
                    p.signatureDuration(ttl(expires))
                        .putObjectRequest(
                            b ->
                                b.bucket(bucket.bucket())
                                    .key(key)
                                    .contentLength((long) length)
                                    .checksumSHA256(S3Bucket.checksum(hash))
                                    .serverSideEncryption(bucket.encryption())
                                    .ssekmsKeyId(bucket.kmsKeyId())));
    return new ChunkTransfer(
        hash.hex(),
        length,
        presigned.url().toString(),
        headersToSend(presigned.signedHeaders()),
        expires);
  }

  @Override
  public ChunkTransfer get(Sha256 hash, int length, String userId, Instant expires) {
    PresignedGetObjectRequest presigned =
        bucket
            .presigner()
            .presignGetObject(
                p ->
                    p.signatureDuration(ttl(expires))
                        .getObjectRequest(
                            b ->
                                b.bucket(bucket.bucket())
                                    .key(bucket.chunkKey(hash))
                                    // Whatever type an uploader stored, a chunk is never shown
                                    // inline by a browser.
                                    .responseContentType("application/octet-stream")
                                    .responseContentDisposition("attachment")));
    return new ChunkTransfer(
        hash.hex(),
        length,
        presigned.url().toString(),
        headersToSend(presigned.signedHeaders()),
        expires);
  }

  /**
   * Moves a chunk the user uploaded to their staging key into place, when S3 holds it with the
   * expected length and SHA-256 checksum. A staged object that does not match is deleted.
   */
  @Override
  public boolean claim(Sha256 hash, int length, String userId) {
    String staged = bucket.stagingKey(userId, hash);
    String target = bucket.chunkKey(hash);
    HeadObjectResponse head;
    try {
      head =
          bucket
              .client()
              .headObject(
                  b -> b.bucket(bucket.bucket()).key(staged).checksumMode(ChecksumMode.ENABLED));
    } catch (SdkException e) {
      if (S3Bucket.notFound(e)) {
        return false;
      }
      throw bucket.failure("look up", staged, e);
    }
    boolean intact =
        head.contentLength() != null
            && head.contentLength() == length
            && (head.checksumSHA256() == null
                ? readsAs(staged, hash)
                : S3Bucket.checksum(hash).equals(head.checksumSHA256()));
    try {
      if (intact && !exists(target)) {
        // Only the object just checked: if it was replaced meanwhile, nothing is claimed.
        bucket
            .client()
            .copyObject(
                b ->
                    b.sourceBucket(bucket.bucket())
                        .sourceKey(staged)
                        .copySourceIfMatch(head.eTag())
                        .destinationBucket(bucket.bucket())
                        .destinationKey(target)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                        .serverSideEncryption(bucket.encryption())
                        .ssekmsKeyId(bucket.kmsKeyId()));
      }
      bucket.client().deleteObject(b -> b.bucket(bucket.bucket()).key(staged));
    } catch (SdkException e) {
      if (e instanceof S3Exception s3 && s3.statusCode() == 412) {
        return false;
      }
      throw bucket.failure("claim", staged, e);
    }
    return intact;
  }

  /** For a store that keeps no checksums: whether an object's bytes hash to {@code hash}. */
  private boolean readsAs(String key, Sha256 hash) {
    try {
      byte[] data =
          bucket.client().getObjectAsBytes(b -> b.bucket(bucket.bucket()).key(key)).asByteArray();
      return hash.matches(Sha256.of(data).bytes());
    } catch (SdkException e) {
      if (S3Bucket.notFound(e)) {
        return false;
      }
      throw bucket.failure("read", key, e);
    }
  }

  private boolean exists(String key) {
    try {
      bucket.client().headObject(b -> b.bucket(bucket.bucket()).key(key));
      return true;
    } catch (SdkException e) {
      if (S3Bucket.notFound(e)) {
        return false;
      }
      throw e;
    }
  }

  private Duration ttl(Instant expires) {
    Duration ttl = Duration.between(clock.instant(), expires);
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl;
  }

  /**
   * The signed headers a client must add to the request itself: all but those its HTTP library sets
   * from the URL and body.
   */
  private static Map<String, String> headersToSend(Map<String, List<String>> signed) {
    Map<String, String> headers = new TreeMap<>();
    signed.forEach(
        (name, values) -> {
          if (!CLIENT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            headers.put(name, String.join(",", values));
          }
        });
    return Collections.unmodifiableMap(headers);
  }
}
