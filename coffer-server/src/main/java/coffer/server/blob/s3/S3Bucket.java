package coffer.server.blob.s3;

import coffer.core.error.StorageException;
import coffer.core.hash.Sha256;
import java.time.Duration;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * One bucket (and key prefix) that holds chunks, with the synchronous client and the presigner that
 * talk to it. Chunks live at {@code <prefix>chunks/<first 2 hex>/<64 hex>}; chunks a user sends
 * straight to the store wait at {@code <prefix>staging/<user>/<64 hex>} until a commit claims them.
 */
public final class S3Bucket implements AutoCloseable {

  private final S3Settings settings;
  private final AwsCredentialsProvider credentials;
  private final S3Client client;
  private final S3Presigner presigner;

  private S3Bucket(S3Settings settings) {
    this.settings = settings;
    this.credentials =
        settings.accessKey() != null
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()))
            : DefaultCredentialsProvider.builder().build();
    Region region = Region.of(settings.region());
    var clientBuilder =
        S3Client.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60))
                    .build())
            .region(region)
            .credentialsProvider(credentials)
            .forcePathStyle(settings.pathStyle())
            // Coffer sets SHA-256 checksums itself where it wants them, and verifies what it reads.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    var presignerBuilder =
        S3Presigner.builder()
            .region(region)
            .credentialsProvider(credentials)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
    if (settings.endpoint() != null) {
      clientBuilder.endpointOverride(settings.endpoint());
      presignerBuilder.endpointOverride(settings.endpoint());
    }
    this.client = clientBuilder.build();
    this.presigner = presignerBuilder.build();
  }

  /** Connects to a bucket; {@link #check()} says whether it is there. */
  public static S3Bucket open(S3Settings settings) {
    return new S3Bucket(settings);
  }

  /**
   * Fails with a one-line message unless the bucket exists and these credentials may use it: a
   * server checks this at start rather than at its first upload.
   */
  public void check() {
    try {
      credentials.resolveCredentials();
    } catch (SdkClientException e) {
      throw new StorageException(
          "blob-store",
          "no S3 credentials for "
              + settings.describe()
              + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an AWS profile or role");
    }
    try {
      client.headBucket(b -> b.bucket(settings.bucket()));
    } catch (S3Exception e) {
      String why =
          switch (e.statusCode()) {
            case 404 -> "does not exist";
            case 301, 400 -> "is in another region than " + settings.region() + " or misnamed";
            case 403 -> "refuses these credentials";
            default -> "answered HTTP " + e.statusCode();
          };
      throw new StorageException("blob-store", "the S3 bucket " + settings.describe() + " " + why);
    } catch (SdkClientException e) {
      throw new StorageException(
          "blob-store", "cannot reach S3 " + settings.describe() + ": " + oneLine(e));
    } catch (SdkException e) {
      throw new StorageException(
          "blob-store", "cannot use S3 " + settings.describe() + ": " + oneLine(e));
    }
  }

  public S3Client client() {
    return client;
  }

  public S3Presigner presigner() {
    return presigner;
  }

  /** The server-side encryption every write asks for ({@code AES256}, {@code aws:kms}), or null. */
  public String encryption() {
    return settings.encryption();
  }

  /** The KMS key for {@code aws:kms}, or null. */
  public String kmsKeyId() {
    return settings.kmsKeyId();
  }

  public String bucket() {
    return settings.bucket();
  }

  /** Where every chunk's key starts. */
  public String chunkPrefix() {
    return settings.prefix() + "chunks/";
  }

  /** The key of a stored chunk. */
  public String chunkKey(Sha256 hash) {
    String hex = hash.hex();
    return chunkPrefix() + hex.substring(0, 2) + "/" + hex;
  }

  /** The key where a user's directly uploaded chunk waits to be claimed. */
  public String stagingKey(String userId, Sha256 hash) {
    if (userId.isEmpty() || !userId.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("not a user id: " + userId);
    }
    return settings.prefix() + "staging/" + userId + "/" + hash.hex();
  }

  /** The checksum S3 keeps for a chunk: its SHA-256 in base64. */
  static String checksum(Sha256 hash) {
    return Base64.getEncoder().encodeToString(hash.bytes());
  }

  /** A failure to do {@code what} on {@code key}, as the rest of Coffer sees it. */
  StorageException failure(String what, String key, SdkException e) {
    return new StorageException(
        "blob-store",
        "cannot " + what + " s3://" + settings.bucket() + "/" + key + ": " + oneLine(e),
        e);
  }

  static boolean notFound(SdkException e) {
    return e instanceof S3Exception s3 && s3.statusCode() == 404;
  }

  private static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
      message += " (" + root.getMessage() + ")";
    }
    return message.replaceAll("\\s+", " ").strip();
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
    if (credentials instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // nothing left to release
      }
    }
  }
}
