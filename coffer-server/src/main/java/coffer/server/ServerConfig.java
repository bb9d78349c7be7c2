package coffer.server;

import static java.util.Objects.requireNonNull;

import coffer.server.auth.PasswordHasher;
import coffer.server.auth.SignupPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a server needs to start, built once from flags and environment.
 *
 * @param dataDir where embedded state lives: {@code metadata.db} and {@code blobs/}
 * @param bind the address to listen on
 * @param port the port, or 0 for any free one
 * @param databaseUrl a JDBC URL, or null for SQLite inside {@code dataDir}
 * @param signup who may create accounts after the first
 * @param maxUploadBytes the largest request body {@code POST /files} accepts
 * @param passwords how passwords are hashed
 * @param gcGrace how old an unreferenced chunk must be before garbage collection deletes it
 * @param gcInterval how often garbage collection runs
 * @param blobs where chunks are stored: null or {@code local} for {@code blobs/} inside {@code
 *     dataDir}, or {@code s3://BUCKET/optional/prefix?endpoint=URL&region=R&pathStyle=true}
 * @param blobCredentials static credentials for an S3 store, or null for the AWS SDK's default
 *     chain ({@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, a profile, a role…)
 * @param redisUrl Redis for change hints across servers ({@code redis://host:6379}), or null for
 *     in-process hints (one server)
 */
public record ServerConfig(
    Path dataDir,
    String bind,
    int port,
    String databaseUrl,
    SignupPolicy signup,
    long maxUploadBytes,
    PasswordHasher passwords,
    Duration gcGrace,
    Duration gcInterval,
    String blobs,
    BlobCredentials blobCredentials,
    String redisUrl) {

  public static final long DEFAULT_MAX_UPLOAD = 64L << 30;

  /** An access key and its secret for an object store; the secret never appears in messages. */
  public record BlobCredentials(String accessKey, String secretKey) {
    public BlobCredentials {
      requireNonNull(accessKey, "accessKey is null");
      requireNonNull(secretKey, "secretKey is null");
    }

    @Override
    public String toString() {
      return "BlobCredentials[accessKey=" + accessKey + ", secretKey=***]";
    }
  }

  public ServerConfig {
    requireNonNull(dataDir, "dataDir is null");
    requireNonNull(bind, "bind is null");
    requireNonNull(signup, "signup is null");
    requireNonNull(passwords, "passwords is null");
    requireNonNull(gcGrace, "gcGrace is null");
    requireNonNull(gcInterval, "gcInterval is null");
    if (gcInterval.toSeconds() < 1) {
      throw new IllegalArgumentException("garbage collection runs at most once a second");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
    }
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException("the upload limit must be positive");
    }
    if (blobs != null && (blobs.isBlank() || blobs.equals("local"))) {
      blobs = null;
    }
    if (blobs != null && !blobs.startsWith("s3://")) {
      throw new IllegalArgumentException(
          "blobs are 'local' or an s3://BUCKET/prefix location, not '" + blobs + "'");
    }
  }

  /** The embedded defaults: {@code ./coffer-data}, 127.0.0.1:8080, open sign-up, local blobs. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        Path.of("coffer-data"),
        "127.0.0.1",
        8080,
        null,
        SignupPolicy.OPEN,
        DEFAULT_MAX_UPLOAD,
        PasswordHasher.DEFAULT,
        Duration.ofHours(24),
        Duration.ofHours(1),
        null,
        null,
        null);
  }

  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(
        dir,
        bind,
        port,
        databaseUrl,
        signup,
        maxUploadBytes,
        passwords,
        gcGrace,
        gcInterval,
        blobs,
        blobCredentials,
        redisUrl);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        dataDir,
        bind,
        newPort,
        databaseUrl,
        signup,
        maxUploadBytes,
        passwords,
        gcGrace,
        gcInterval,
        blobs,
        blobCredentials,
        redisUrl);
  }

  public ServerConfig withBind(String address) {
    return new ServerConfig(
        dataDir,
        address,
        port,
        databaseUrl,
        signup,
        maxUploadBytes,
        passwords,
        gcGrace,
        gcInterval,
        blobs,
        blobCredentials,
        redisUrl);
  }

  public ServerConfig withDatabaseUrl(String url) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        url,
        signup,
        maxUploadBytes,
        passwords,
        gcGrace,
        gcInterval,
        blobs,
        blobCredentials,
        redisUrl);
  }

  public ServerConfig withSignup(SignupPolicy policy) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        databaseUrl,
        policy,
        maxUploadBytes,
        passwords,
        gcGrace,
        gcInterval,
        blobs,
        blobCredentials,
        redisUrl);
  }

  public ServerConfig withMaxUploadBytes(long bytes) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        databaseUrl,
        signup,
        bytes,
        passwords,
        gcGrace,
        gcInterval,
        blobs,
        blobCredentials,
        redisUrl);
  }

  public ServerConfig withGarbageCollection(Duration grace, Duration interval) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        databaseUrl,
        signup,
        maxUploadBytes,
        passwords,
        grace,
        interval,
        blobs,
        blobCredentials,
        redisUrl);
  }

  public ServerConfig withRedisUrl(String url) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        databaseUrl,
        signup,
        maxUploadBytes,
        passwords,
        gcGrace,
        gcInterval,
        blobs,
        blobCredentials,
        url);
  }

  public ServerConfig withPasswords(PasswordHasher hasher) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        databaseUrl,
        signup,
        maxUploadBytes,
        hasher,
        gcGrace,
        gcInterval,
        blobs,
        blobCredentials,
        redisUrl);
  }

  /** Where chunks are stored: null or {@code local}, or an {@code s3://} location. */
  public ServerConfig withBlobs(String location) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        databaseUrl,
        signup,
        maxUploadBytes,
        passwords,
        gcGrace,
        gcInterval,
        location,
        blobCredentials,
        redisUrl);
  }

  /** Static credentials for an S3 store instead of the default chain (null for the chain). */
  public ServerConfig withBlobCredentials(BlobCredentials credentials) {
    return new ServerConfig(
        dataDir,
        bind,
        port,
        databaseUrl,
        signup,
        maxUploadBytes,
        passwords,
        gcGrace,
        gcInterval,
        blobs,
        credentials,
        redisUrl);
  }
}
