package coffer.cli;

import java.net.URI;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for tests: S3Proxy in this JVM on a free loopback port, objects in memory, SigV4
 * and {@code x-amz-checksum-sha256} checked as S3 does. It starts with one empty bucket.
 */
final class LocalS3 implements AutoCloseable {

  static final String ACCESS_KEY = "coffer-cli-test";
  static final String SECRET_KEY = "coffer-cli-test-secret";
  static final String BUCKET = "coffer-chunks";

  private final S3Proxy proxy;
  private final URI endpoint;
  private final S3Client client;

  private LocalS3(S3Proxy proxy, URI endpoint, S3Client client) {
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.client = client;
  }

  static LocalS3 start() throws Exception {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
    URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    S3Client client =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
    client.createBucket(b -> b.bucket(BUCKET));
    return new LocalS3(proxy, endpoint, client);
  }

  /** The bucket under {@code prefix}, as {@code --blobs} takes it. */
  String location(String prefix) {
    return "s3://" + BUCKET + "/" + prefix + "?endpoint=" + endpoint + "&pathStyle=true";
  }

  URI endpoint() {
    return endpoint;
  }

  /** The bytes of every chunk under {@code prefix}; fails if any upload still waits in staging. */
  long storedBytes(String prefix) {
    if (client.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix + "/staging/")).hasContents()) {
      throw new AssertionError("chunks were left in staging under " + prefix);
    }
    return client
        .listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix + "/chunks/"))
        .contents()
        .stream()
        .mapToLong(S3Object::size)
        .sum();
  }

  @Override
  public void close() {
    client.close();
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop S3Proxy", e);
    }
  }
}
