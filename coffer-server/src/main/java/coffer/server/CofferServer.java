package coffer.server;

import coffer.core.chunk.ChunkerConfig;
import coffer.core.chunk.FastCdc;
import coffer.server.auth.AuthService;
import coffer.server.blob.BlobStore;
import coffer.server.blob.local.LocalBlobStore;
import coffer.server.files.ContentIngest;
import coffer.server.files.FileService;
import coffer.server.http.HttpApi;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.jdbc.Database;
import coffer.server.metadata.jdbc.JdbiMetadataStore;
import coffer.server.notify.InProcessNotifier;
import coffer.server.notify.Notifier;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A running server: the one place that names concrete adapters and wires them together. */
public final class CofferServer implements AutoCloseable {

  private final ServerConfig config;
  private final FileChannel lockChannel;
  private final MetadataStore metadata;
  private final Notifier notifier;
  private final ExecutorService chunkPool;
  private final Javalin http;

  private CofferServer(ServerConfig config) {
    this.config = config;
    Path data = createDataDir(config.dataDir());
    this.lockChannel = lock(data);
    try {
      String url =
          config.databaseUrl() != null
              ? config.databaseUrl()
              : Database.sqliteUrl(data.resolve("metadata.db"));
      this.metadata = JdbiMetadataStore.open(url);
      BlobStore blobs = new LocalBlobStore(data.resolve("blobs"));
      this.notifier = new InProcessNotifier();
      int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
      this.chunkPool =
          Executors.newFixedThreadPool(
              threads, Thread.ofPlatform().daemon().name("chunk-", 0).factory());
      Clock clock = Clock.systemUTC();
      AuthService auth = new AuthService(metadata, config.passwords(), config.signup(), clock);
      FileService files = new FileService(metadata, notifier, clock);
      ContentIngest ingest =
          new ContentIngest(blobs, new FastCdc(ChunkerConfig.DEFAULT), chunkPool, threads * 2);
      this.http = HttpApi.create(auth, files, ingest, blobs, config.maxUploadBytes());
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
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
    return URI.create("http://" + host + ":" + port());
  }

  @Override
  public void close() {
    http.stop();
    chunkPool.shutdown();
    notifier.close();
    metadata.close();
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
