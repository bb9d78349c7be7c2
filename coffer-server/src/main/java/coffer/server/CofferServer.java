package coffer.server;

import coffer.core.chunk.ChunkPipeline;
import coffer.core.chunk.ChunkerConfig;
import coffer.core.chunk.FastCdc;
import coffer.server.auth.AttemptLimiter;
import coffer.server.auth.AuthService;
import coffer.server.blob.BlobStore;
import coffer.server.blob.ChunkUrls;
import coffer.server.blob.SignedChunkUrls;
import coffer.server.blob.UrlSigner;
import coffer.server.blob.local.BlobSeal;
import coffer.server.blob.local.LocalBlobStore;
import coffer.server.blob.local.MasterKeys;
import coffer.server.blob.s3.S3BlobStore;
import coffer.server.blob.s3.S3Bucket;
import coffer.server.blob.s3.S3ChunkUrls;
import coffer.server.blob.s3.S3Settings;
import coffer.server.files.BatchService;
import coffer.server.files.ContentIngest;
import coffer.server.files.FileService;
import coffer.server.files.GarbageCollector;
import coffer.server.files.LinkService;
import coffer.server.files.Retention;
import coffer.server.files.ShareService;
import coffer.server.files.TrashService;
import coffer.server.files.UploadService;
import coffer.server.files.VersionService;
import coffer.server.http.HttpApi;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.jdbc.Database;
import coffer.server.metadata.jdbc.JdbiMetadataStore;
import coffer.server.notify.InProcessNotifier;
import coffer.server.notify.Notifier;
import coffer.server.notify.RedisNotifier;
import coffer.server.sync.ChangeService;
import coffer.server.sync.ChangeWaiters;
import coffer.server.sync.DeviceService;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running server: the one place that names concrete adapters and wires them together. */
public final class CofferServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CofferServer.class);

  private final ServerConfig config;
  private final FileChannel lockChannel;
  private final BlobBackend blobBackend;
  private final MetadataStore metadata;
  private final Notifier notifier;
  private final ChangeWaiters waiters;
  private final ExecutorService chunkPool;
  private final Javalin http;
  private final UploadService uploads;
  private final GarbageCollector collector;
  private final Retention retention;
  private final coffer.server.files.Scrubber scrubber;

  /** How often every stored chunk is read back and verified, in the background. */
  static final Duration SCRUB_EVERY = Duration.ofDays(7);

  private final coffer.server.ops.ServerMetrics metrics = new coffer.server.ops.ServerMetrics();
  private final coffer.server.ops.Readiness readiness;
  private final coffer.server.ops.RateLimiter limiter;
  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("housekeeping").factory());

  private CofferServer(ServerConfig config) {
    this.config = config;
    Path data = createDataDir(config.dataDir());
    this.lockChannel = lock(data);
    // Milliseconds: what the databases store, so a write's answer equals a later read's.
    Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    UrlSigner signer;
    try {
      signer = new UrlSigner(Secrets.load(data.resolve("secret.key")), clock);
      this.blobBackend = openBlobs(config, data, signer, clock);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
    try {
      String url =
          config.databaseUrl() != null
              ? config.databaseUrl()
              : Database.sqliteUrl(data.resolve("metadata.db"));
      this.metadata = JdbiMetadataStore.open(url);
      BlobStore blobs = blobBackend.store();
      this.notifier =
          metrics.counting(
              config.redisUrl() == null
                  ? new InProcessNotifier()
                  : new RedisNotifier(config.redisUrl(), "coffer:hints"));
      this.readiness = new coffer.server.ops.Readiness(metadata, blobs);
      this.limiter =
          config.redisUrl() == null
              ? new coffer.server.ops.LocalRateLimiter()
              : new coffer.server.ops.RedisRateLimiter(config.redisUrl(), "coffer:limits:");
      this.waiters = new ChangeWaiters(notifier);
      int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
      this.chunkPool =
          Executors.newFixedThreadPool(
              threads, Thread.ofPlatform().daemon().name("chunk-", 0).factory());
      coffer.server.auth.SignedInCache signedIn =
          new coffer.server.auth.SignedInCache(notifier, clock);
      metrics.cache("tokens", signedIn.cache());
      AuthService auth =
          new AuthService(metadata, config.passwords(), config.signup(), clock, signedIn);
      FileService files = new FileService(metadata, blobs, notifier, clock);
      DeviceService devices = new DeviceService(metadata);
      ContentIngest ingest =
          new ContentIngest(
              blobs, new ChunkPipeline(new FastCdc(ChunkerConfig.DEFAULT), chunkPool, threads * 2));
      this.uploads =
          new UploadService(
              metadata, blobs, blobBackend.urls(), files, clock, ChunkerConfig.DEFAULT.maxSize());
      this.collector = new GarbageCollector(metadata, blobs, clock, config.gcGrace());
      this.retention = new Retention(metadata, clock, config.retention());
      this.scrubber = new coffer.server.files.Scrubber(metadata, blobs, clock);
      this.http =
          HttpApi.create(
              new HttpApi.Services(
                  auth,
                  files,
                  uploads,
                  ingest,
                  blobs,
                  signer,
                  new ChangeService(metadata, waiters, clock),
                  devices,
                  new VersionService(metadata, files),
                  new TrashService(metadata, notifier, clock),
                  new ShareService(metadata, notifier, clock),
                  new BatchService(metadata, files, uploads, ingest, notifier, clock),
                  new LinkService(
                      metadata,
                      config.passwords(),
                      // Wrong link passwords: 5 a minute per link and per client address.
                      new AttemptLimiter(5, Duration.ofMinutes(1), clock),
                      clock),
                  this::waitingLongPolls,
                  config.maxUploadBytes(),
                  metrics,
                  readiness,
                  new HttpApi.Limits(limiter, config.userLimit(), config.addressLimit()),
                  new coffer.server.auth.AdminService(
                      metadata,
                      auth,
                      devices,
                      scrubber,
                      new coffer.server.files.Fsck(metadata, scrubber, clock),
                      new coffer.server.files.Backups(
                          metadata, blobs, blobBackend.backupStore(), data, housekeeping, clock)),
                  originOf(blobBackend.urls(), clock)),
              new HttpApi.Listener(
                  config.bind(),
                  config.port(),
                  config.tls() == null ? null : coffer.server.ops.TlsKeys.load(config.tls()),
                  config.trustedProxies()));
    } catch (RuntimeException e) {
      closeQuietly(blobBackend.resources());
      closeQuietly(lockChannel);
      throw e;
    }
  }

  /** Where chunks live, how clients reach them, and what to close at the end. */
  private record BlobBackend(
      BlobStore store,
      ChunkUrls urls,
      AutoCloseable resources,
      java.util.function.Function<Path, BlobStore> backupStore) {}

  /**
   * Local blobs in the data directory, reached through the server's own signed URLs; or an S3
   * bucket, reached through its presigned URLs. An S3 bucket is checked now, so that a missing
   * bucket or an unreachable endpoint stops the start with one clear line.
   */
  private static BlobBackend openBlobs(
      ServerConfig config, Path data, UrlSigner signer, Clock clock) {
    if (config.blobs() == null) {
      BlobSeal seal = seal(config.encryption(), data);
      return new BlobBackend(
          new LocalBlobStore(data.resolve("blobs"), seal),
          new SignedChunkUrls(signer),
          () -> {},
          dir -> new LocalBlobStore(dir, seal));
    }
    ServerConfig.BlobCredentials credentials = config.blobCredentials();
    S3Settings settings =
        S3Settings.parse(
            config.blobs(),
            credentials == null ? null : credentials.accessKey(),
            credentials == null ? null : credentials.secretKey());
    S3Bucket bucket = S3Bucket.open(settings);
    try {
      bucket.check();
    } catch (RuntimeException e) {
      bucket.close();
      throw e;
    }
    return new BlobBackend(
        new S3BlobStore(bucket),
        new S3ChunkUrls(bucket, clock),
        bucket,
        dir -> new LocalBlobStore(dir, seal(config.encryption(), data)));
  }

  /**
   * The seal for local blobs, or null when encryption is off. The master key must not live in the
   * data directory: a copy of the data alone must not be readable.
   */
  private static BlobSeal seal(ServerConfig.Encryption encryption, Path data) {
    Path keyFile = encryption.keyFileFor(data).toAbsolutePath().normalize();
    if (!encryption.enabled()) {
      LOG.warn("new blobs are stored unencrypted (encryption at rest is off)");
      // Blobs sealed while it was on stay readable with their key.
      if (encryption.keyText() != null) {
        return BlobSeal.openOnly(keysFromEnvironment(encryption.keyText()));
      }
      return Files.exists(keyFile) ? BlobSeal.openOnly(MasterKeys.loadOrCreate(keyFile)) : null;
    }
    if (encryption.keyText() != null) {
      MasterKeys keys = keysFromEnvironment(encryption.keyText());
      LOG.info(
          "blobs are encrypted at rest under master key {} from COFFER_MASTER_KEY",
          keys.currentId());
      return new BlobSeal(keys);
    }
    if (keyFile.startsWith(data) || resolved(keyFile).startsWith(data)) {
      throw new IllegalArgumentException(
          "the master key file "
              + keyFile
              + " must live outside the data directory "
              + data
              + ", so that a copy of the data alone cannot be read");
    }
    boolean made = !Files.exists(keyFile);
    MasterKeys keys = MasterKeys.loadOrCreate(keyFile);
    if (made) {
      LOG.warn(
          "made a new master key in {}: keep a copy of it apart from the data, without it the"
              + " blobs cannot be read",
          keyFile);
    }
    LOG.info("blobs are encrypted at rest under master key {} from {}", keys.currentId(), keyFile);
    return new BlobSeal(keys);
  }

  private static MasterKeys keysFromEnvironment(String text) {
    try {
      return MasterKeys.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("COFFER_MASTER_KEY: " + e.getMessage(), e);
    }
  }

  /** A path with its existing folders' links followed, to compare with the real data directory. */
  private static Path resolved(Path path) {
    Path parent = path.getParent();
    try {
      return parent == null ? path : parent.toRealPath().resolve(path.getFileName());
    } catch (java.io.IOException e) {
      return path;
    }
  }

  /** Starts a server; it serves until {@link #close()}. */
  public static CofferServer start(ServerConfig config) {
    CofferServer server = new CofferServer(config);
    try {
      server.http.start(config.bind(), config.port());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    long every = config.gcInterval().toSeconds();
    server.housekeeping.scheduleWithFixedDelay(
        server::collectQuietly, every, every, TimeUnit.SECONDS);
    long scrubEvery = SCRUB_EVERY.toSeconds();
    server.housekeeping.scheduleWithFixedDelay(
        server::scrubQuietly, scrubEvery, scrubEvery, TimeUnit.SECONDS);
    return server;
  }

  public int port() {
    return http.port();
  }

  public URI url() {
    String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    }
    return URI.create((config.tls() == null ? "http://" : "https://") + host + ":" + port());
  }

  /** Long-polls parked on this server right now. */
  public int waitingLongPolls() {
    return waiters.waiting();
  }

  /** Runs garbage collection now (it also runs on a schedule). */
  public GarbageCollector.Result collectGarbage() {
    return collector.collect();
  }

  /** Chunk bytes that arrived through presigned uploads since start, cut-off ones included. */
  public long chunkBytesArrived() {
    return uploads.bytesArrived();
  }

  /** Lets old versions and trash go under the retention policy now (it also runs on a schedule). */
  public Retention.Result applyRetention() {
    return retention.apply();
  }

  /**
   * Where presigned chunk URLs point when that is not this server (S3's endpoint), as
   * scheme://host[:port], or null: the web UI's Content-Security-Policy lets the page send chunks
   * there and nowhere else. Presigning is local; nothing is sent.
   */
  private static String originOf(coffer.server.blob.ChunkUrls urls, java.time.Clock clock) {
    URI sample =
        URI.create(
            urls.put(
                    coffer.core.hash.Sha256.of(new byte[0]),
                    1,
                    "csp",
                    clock.instant().plusSeconds(60))
                .url());
    if (!sample.isAbsolute()) {
      return null;
    }
    return sample.getScheme()
        + "://"
        + sample.getHost()
        + (sample.getPort() == -1 ? "" : ":" + sample.getPort());
  }

  /** Reads back and verifies every stored chunk now (it also runs weekly). */
  public coffer.core.api.ScrubReport scrub() {
    return scrubber.scrub();
  }

  private void scrubQuietly() {
    try {
      scrubber.scrub(); // problems are logged as errors by the scrubber
    } catch (RuntimeException e) {
      LOG.warn("scrub failed; it will run again", e);
    }
  }

  private void collectQuietly() {
    try {
      retention.apply();
      collector.collect();
    } catch (RuntimeException e) {
      LOG.warn("garbage collection failed; it will run again", e);
    }
  }

  /**
   * Stops gracefully: {@code /readyz} says so first, parked long-polls are answered, requests in
   * flight (an upload, say) finish (up to {@link HttpApi#STOP_GRACE}), and only then do the
   * database and the blob store close.
   */
  @Override
  public void close() {
    readiness.drain();
    housekeeping.shutdownNow();
    waiters.close();
    http.stop();
    chunkPool.shutdown();
    notifier.close();
    limiter.close();
    metrics.close();
    metadata.close();
    closeQuietly(blobBackend.resources());
    closeQuietly(lockChannel);
  }

  private static Path createDataDir(Path dir) {
    try {
      return Files.createDirectories(dir).toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir, e);
    }
  }

  /** One server per data directory: a second one would corrupt nothing, but confuse everyone. */
  private static FileChannel lock(Path data) {
    try {
      FileChannel channel =
          FileChannel.open(
              data.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(
            "another Coffer server is using the data directory " + data);
      }
      return channel;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock data directory " + data, e);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing on the way out; nothing more to do
    }
  }
}
