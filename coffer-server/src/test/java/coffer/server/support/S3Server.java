package coffer.server.support;

import coffer.server.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy in this JVM on a free loopback port, keeping objects in
 * memory and checking SigV4 signatures and {@code x-amz-checksum-sha256} like S3. One is started
 * for the whole test run; each test takes a bucket of its own with {@link #newBucket()}.
 */
public final class S3Server {

  public static final String ACCESS_KEY = "coffer-test-access";
  public static final String SECRET_KEY = "coffer-test-secret-0123456789";
  public static final String REGION = "us-east-1";

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3Server shared;

  private final S3Proxy proxy;
  private final URI endpoint;
  private final S3Client client;

  private S3Server() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    Await.until(
        "S3Proxy to start", Duration.ofSeconds(30), () -> "STARTED".equals(proxy.getState()));
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    client =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(endpoint)
            .region(Region.of(REGION))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
  }

  /** The server every test shares, started on first use and stopped when the JVM exits. */
  public static synchronized S3Server shared() {
    if (shared == null) {
      try {
        S3Server server = new S3Server();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        shared = server;
      } catch (Exception e) {
        throw new IllegalStateException("cannot start S3Proxy", e);
      }
    }
    return shared;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client with full access, for tests to look at (or tamper with) what is stored. */
  public S3Client client() {
    return client;
  }

  /** Creates an empty bucket no other test uses and returns its name. */
  public String newBucket() {
    String name = "coffer-test-" + BUCKETS.incrementAndGet();
    client.createBucket(b -> b.bucket(name));
    return name;
  }

  /** The location of {@code bucket} (and an optional key prefix) as a server is given it. */
  public String location(String bucket, String prefix) {
    return "s3://"
        + bucket
        + "/"
        + (prefix == null ? "" : prefix)
        + "?endpoint="
        + endpoint
        + "&region="
        + REGION
        + "&pathStyle=true";
  }

  /** The credentials a server needs for this S3. */
  public static ServerConfig.BlobCredentials credentials() {
    return new ServerConfig.BlobCredentials(ACCESS_KEY, SECRET_KEY);
  }

  /** Configures a server to keep its chunks in {@code bucket} here. */
  public ServerConfig configure(ServerConfig config, String bucket) {
    return config.withBlobs(location(bucket, "coffer")).withBlobCredentials(credentials());
  }

  private void stop() {
    try {
      client.close();
      proxy.stop();
    } catch (Exception ignored) {
      // the JVM is exiting
    }
  }
}
