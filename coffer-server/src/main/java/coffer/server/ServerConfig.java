package coffer.server;

import static java.util.Objects.requireNonNull;

import coffer.server.auth.PasswordHasher;
import coffer.server.auth.SignupPolicy;
import coffer.server.files.Retention;
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
 * @param retention how long old versions and trash are kept
 * @param trustedProxies addresses of proxies whose {@code X-Forwarded-For} names the client (for
 *     rate limits, link-password limits and the access log); empty: the peer is the client
 * @param encryption how local blobs are encrypted at rest
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
    String redisUrl,
    Retention.Policy retention,
    Tls tls,
    coffer.server.ops.RateLimit userLimit,
    coffer.server.ops.RateLimit addressLimit,
    java.util.Set<String> trustedProxies,
    Encryption encryption) {

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

  /**
   * Serve HTTPS with this certificate chain and private key, both PEM files (the key unencrypted
   * PKCS#8, as {@code openssl pkcs8 -topk8 -nocrypt} writes it).
   */
  public record Tls(Path certificate, Path key) {
    public Tls {
      requireNonNull(certificate, "certificate is null");
      requireNonNull(key, "key is null");
    }
  }

  /**
   * Encryption at rest for local blobs (S3 stores use the bucket's server-side encryption instead).
   *
   * @param enabled whether new blobs are encrypted
   * @param keyFile the master key file, which must live outside the data directory; null: {@code
   *     NAME.key} beside a data directory called {@code NAME}, made on first start
   * @param keyText the key ring itself (as from an environment variable), or null to use the file
   */
  public record Encryption(boolean enabled, Path keyFile, String keyText) {

    /** On, with the key file beside the data directory. */
    public static final Encryption DEFAULT = new Encryption(true, null, null);

    /** Blobs stored as they are. */
    public static final Encryption OFF = new Encryption(false, null, null);

    /** Where the key file is for a data directory. */
    public Path keyFileFor(Path dataDir) {
      if (keyFile != null) {
        return keyFile;
      }
      Path absolute = dataDir.toAbsolutePath().normalize();
      return absolute.resolveSibling(absolute.getFileName() + ".key");
    }

    @Override
    public String toString() {
      return "Encryption[enabled="
          + enabled
          + ", keyFile="
          + keyFile
          + ", keyText="
          + (keyText == null ? "null" : "***")
          + "]";
    }
  }

  public ServerConfig {
    requireNonNull(dataDir, "dataDir is null");
    encryption = encryption == null ? Encryption.DEFAULT : encryption;
    requireNonNull(bind, "bind is null");
    requireNonNull(signup, "signup is null");
    requireNonNull(passwords, "passwords is null");
    requireNonNull(gcGrace, "gcGrace is null");
    requireNonNull(gcInterval, "gcInterval is null");
    requireNonNull(retention, "retention is null");
    trustedProxies =
        trustedProxies == null ? java.util.Set.of() : java.util.Set.copyOf(trustedProxies);
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
        null,
        Retention.Policy.DEFAULT,
        null,
        coffer.server.ops.RateLimit.PER_USER,
        coffer.server.ops.RateLimit.PER_ADDRESS,
        java.util.Set.of(),
        Encryption.DEFAULT);
  }

  public ServerConfig withDataDir(Path dir) {
    return toBuilder().dataDir(dir).build();
  }

  public ServerConfig withPort(int newPort) {
    return toBuilder().port(newPort).build();
  }

  public ServerConfig withBind(String address) {
    return toBuilder().bind(address).build();
  }

  public ServerConfig withDatabaseUrl(String url) {
    return toBuilder().databaseUrl(url).build();
  }

  public ServerConfig withSignup(SignupPolicy policy) {
    return toBuilder().signup(policy).build();
  }

  public ServerConfig withMaxUploadBytes(long bytes) {
    return toBuilder().maxUploadBytes(bytes).build();
  }

  public ServerConfig withGarbageCollection(Duration grace, Duration interval) {
    return toBuilder().gcGrace(grace).gcInterval(interval).build();
  }

  public ServerConfig withRedisUrl(String url) {
    return toBuilder().redisUrl(url).build();
  }

  public ServerConfig withPasswords(PasswordHasher hasher) {
    return toBuilder().passwords(hasher).build();
  }

  public ServerConfig withBlobs(String location) {
    return toBuilder().blobs(location).build();
  }

  public ServerConfig withRetention(Retention.Policy policy) {
    return toBuilder().retention(policy).build();
  }

  /**
   * Limits requests per user (with a token) and per client address (without one); null turns a
   * limit off.
   */
  public ServerConfig withRateLimits(
      coffer.server.ops.RateLimit perUser, coffer.server.ops.RateLimit perAddress) {
    return toBuilder().userLimit(perUser).addressLimit(perAddress).build();
  }

  /** Believes {@code X-Forwarded-For} from these proxy addresses (such as nginx's). */
  public ServerConfig withTrustedProxies(java.util.Set<String> addresses) {
    return toBuilder().trustedProxies(addresses).build();
  }

  /** Serves HTTPS (null: plain HTTP, as behind a proxy that terminates TLS). */
  public ServerConfig withTls(Tls value) {
    return toBuilder().tls(value).build();
  }

  /** How local blobs are encrypted at rest. */
  public ServerConfig withEncryption(Encryption value) {
    return toBuilder().encryption(value).build();
  }

  public ServerConfig withBlobCredentials(BlobCredentials credentials) {
    return toBuilder().blobCredentials(credentials).build();
  }

  private Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes one or more components; validation happens once, in {@link #build()}. */
  private static final class Builder {
    private Path dataDir;
    private String bind;
    private int port;
    private String databaseUrl;
    private SignupPolicy signup;
    private long maxUploadBytes;
    private PasswordHasher passwords;
    private Duration gcGrace;
    private Duration gcInterval;
    private String blobs;
    private BlobCredentials blobCredentials;
    private String redisUrl;
    private Retention.Policy retention;
    private Tls tls;
    private coffer.server.ops.RateLimit userLimit;
    private coffer.server.ops.RateLimit addressLimit;
    private java.util.Set<String> trustedProxies;
    private Encryption encryption;

    Builder(ServerConfig from) {
      dataDir = from.dataDir;
      bind = from.bind;
      port = from.port;
      databaseUrl = from.databaseUrl;
      signup = from.signup;
      maxUploadBytes = from.maxUploadBytes;
      passwords = from.passwords;
      gcGrace = from.gcGrace;
      gcInterval = from.gcInterval;
      blobs = from.blobs;
      blobCredentials = from.blobCredentials;
      redisUrl = from.redisUrl;
      retention = from.retention;
      tls = from.tls;
      userLimit = from.userLimit;
      addressLimit = from.addressLimit;
      trustedProxies = from.trustedProxies;
      encryption = from.encryption;
    }

    Builder encryption(Encryption value) {
      encryption = value;
      return this;
    }

    Builder trustedProxies(java.util.Set<String> value) {
      trustedProxies = value;
      return this;
    }

    Builder userLimit(coffer.server.ops.RateLimit value) {
      userLimit = value;
      return this;
    }

    Builder addressLimit(coffer.server.ops.RateLimit value) {
      addressLimit = value;
      return this;
    }

    Builder tls(Tls value) {
      tls = value;
      return this;
    }

    Builder dataDir(Path value) {
      dataDir = value;
      return this;
    }

    Builder bind(String value) {
      bind = value;
      return this;
    }

    Builder port(int value) {
      port = value;
      return this;
    }

    Builder databaseUrl(String value) {
      databaseUrl = value;
      return this;
    }

    Builder signup(SignupPolicy value) {
      signup = value;
      return this;
    }

    Builder maxUploadBytes(long value) {
      maxUploadBytes = value;
      return this;
    }

    Builder passwords(PasswordHasher value) {
      passwords = value;
      return this;
    }

    Builder gcGrace(Duration value) {
      gcGrace = value;
      return this;
    }

    Builder gcInterval(Duration value) {
      gcInterval = value;
      return this;
    }

    Builder blobs(String value) {
      blobs = value;
      return this;
    }

    Builder blobCredentials(BlobCredentials value) {
      blobCredentials = value;
      return this;
    }

    Builder redisUrl(String value) {
      redisUrl = value;
      return this;
    }

    Builder retention(Retention.Policy value) {
      retention = value;
      return this;
    }

    ServerConfig build() {
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
          redisUrl,
          retention,
          tls,
          userLimit,
          addressLimit,
          trustedProxies,
          encryption);
    }
  }
}
