package coffer.sim;

import coffer.core.api.Credentials;
import coffer.core.chunk.ChunkPipeline;
import coffer.core.chunk.ChunkerConfig;
import coffer.core.chunk.FastCdc;
import coffer.server.auth.AuthService;
import coffer.server.auth.PasswordHasher;
import coffer.server.auth.Principal;
import coffer.server.auth.SignupPolicy;
import coffer.server.blob.SignedChunkUrls;
import coffer.server.blob.UrlSigner;
import coffer.server.blob.local.LocalBlobStore;
import coffer.server.files.BatchService;
import coffer.server.files.ContentIngest;
import coffer.server.files.FileService;
import coffer.server.files.UploadService;
import coffer.server.metadata.jdbc.Database;
import coffer.server.metadata.jdbc.JdbiMetadataStore;
import coffer.server.notify.InProcessNotifier;
import coffer.server.sync.ChangeService;
import coffer.server.sync.ChangeWaiters;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The real server's services, wired as {@code coffer server} wires them but called in process (no
 * HTTP), on a SQLite database and a blob directory of the simulation's own, under its clock.
 */
final class SimServer implements AutoCloseable {

  private static final PasswordHasher CHEAP = new PasswordHasher(1024, 1, 1);

  final AuthService auth;
  final FileService files;
  final UploadService uploads;
  final BatchService batches;
  final ChangeService changes;
  private final Path dir;
  private final JdbiMetadataStore metadata;
  private final ChangeWaiters waiters;

  SimServer(Path dir, SimClock clock) {
    this.dir = dir;
    this.metadata = JdbiMetadataStore.open(Database.sqliteUrl(dir.resolve("metadata.db")));
    LocalBlobStore blobs = new LocalBlobStore(dir.resolve("blobs"));
    InProcessNotifier notifier = new InProcessNotifier();
    this.waiters = new ChangeWaiters(notifier);
    this.auth =
        new AuthService(
            metadata,
            CHEAP,
            SignupPolicy.OPEN,
            clock,
            new coffer.server.auth.SignedInCache(notifier, clock));
    this.files = new FileService(metadata, blobs, notifier, clock);
    ContentIngest ingest =
        new ContentIngest(
            blobs, new ChunkPipeline(new FastCdc(ChunkerConfig.DEFAULT), Runnable::run, 2));
    this.uploads =
        new UploadService(
            metadata,
            blobs,
            new SignedChunkUrls(new UrlSigner(new byte[32], clock)),
            files,
            clock,
            ChunkerConfig.DEFAULT.maxSize());
    this.changes = new ChangeService(metadata, waiters, clock);
    this.batches = new BatchService(metadata, files, uploads, ingest, notifier, clock);
  }

  /** Signs up {@code user} once and signs {@code device} in: the principal its requests carry. */
  Principal device(String user, String device) {
    Credentials credentials = new Credentials(user, "simulated password", device);
    try {
      auth.signup(credentials, Optional.empty());
    } catch (coffer.core.error.ConflictException exists) {
      // the account is there already: another device of the same user
    }
    return auth.authenticate(auth.login(credentials).token());
  }

  /** The content hash of every revision the server holds, live, old or in the trash. */
  Set<String> everyContent() {
    Set<String> contents = new HashSet<>();
    try (Connection db =
            DriverManager.getConnection(Database.sqliteUrl(dir.resolve("metadata.db")));
        Statement query = db.createStatement();
        ResultSet rows = query.executeQuery("SELECT content_hash FROM revisions")) {
      while (rows.next()) {
        contents.add(rows.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return contents;
  }

  /** Forgets every revision with this content: how the oracle's own test makes a loss. */
  void lose(String contentHash) {
    try (Connection db =
            DriverManager.getConnection(Database.sqliteUrl(dir.resolve("metadata.db")));
        java.sql.PreparedStatement update =
            db.prepareStatement(
                "UPDATE revisions SET content_hash = 'lost' WHERE content_hash = ?")) {
      update.setString(1, contentHash);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    waiters.close();
    metadata.close();
  }
}
