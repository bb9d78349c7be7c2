package coffer.server.metadata.jdbc;

import coffer.core.error.ConflictException;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataTransaction;
import coffer.server.metadata.NodeRecords;
import coffer.server.metadata.RememberingNodeRecords;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

/** {@link MetadataStore} over JDBC, for SQLite and PostgreSQL alike. */
public final class JdbiMetadataStore implements MetadataStore {

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final boolean postgres;
  private final ReentrantLock sqliteWriter = new ReentrantLock(true);

  public JdbiMetadataStore(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    try {
      this.postgres = Database.vendor(dataSource).equals("postgresql");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot tell which database this is", e);
    }
  }

  /** Opens and migrates the database at {@code jdbcUrl}. */
  public static JdbiMetadataStore open(String jdbcUrl) {
    return new JdbiMetadataStore(Database.open(jdbcUrl));
  }

  @Override
  public <T> T write(Function<MetadataTransaction, T> work) {
    return write(work, false);
  }

  @Override
  public <T> T writeLazily(Function<MetadataTransaction, T> work) {
    return write(work, true);
  }

  private <T> T write(Function<MetadataTransaction, T> work, boolean lazily) {
    if (postgres) {
      return translate(
          () ->
              jdbi.inTransaction(
                  handle -> {
                    if (lazily) {
                      handle.execute("SET LOCAL synchronous_commit = off");
                    }
                    return work.apply(new Tx(handle, true));
                  }));
    }
    // SQLite has one writer at a time. Writers queue on this lock rather than in SQLite's busy
    // handler, which sleeps in growing steps and wastes most of the time under contention.
    sqliteWriter.lock();
    try {
      return translate(
          () ->
              jdbi.withHandle(
                  handle -> {
                    if (!lazily) {
                      return handle.inTransaction(h -> work.apply(new Tx(h, false)));
                    }
                    // In WAL mode, NORMAL skips the fsync at commit; the WAL stays consistent.
                    handle.execute("PRAGMA synchronous = NORMAL");
                    try {
                      return handle.inTransaction(h -> work.apply(new Tx(h, false)));
                    } finally {
                      handle.execute("PRAGMA synchronous = FULL");
                    }
                  }));
    } finally {
      sqliteWriter.unlock();
    }
  }

  @Override
  public <T> T read(Function<MetadataTransaction, T> work) {
    return translate(() -> jdbi.withHandle(handle -> work.apply(new Tx(handle, postgres))));
  }

  @Override
  public void backUpTo(java.nio.file.Path file, String epoch) {
    if (postgres) {
      throw new UnsupportedOperationException(
          "PostgreSQL metadata is backed up with the database's own tools (pg_dump)");
    }
    java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".part");
    try {
      java.nio.file.Files.deleteIfExists(tmp);
      // One statement, one read transaction: the copy is the database as of one moment.
      jdbi.useHandle(h -> h.createUpdate("VACUUM INTO ?").bind(0, tmp.toString()).execute());
      // The copy as one file (no write-ahead log beside it), with its own epoch.
      try (java.sql.Connection copy =
              java.sql.DriverManager.getConnection(Database.sqliteUrl(tmp));
          java.sql.Statement statement = copy.createStatement()) {
        try (java.sql.ResultSet mode = statement.executeQuery("PRAGMA journal_mode = DELETE")) {
          mode.next();
        }
        try (java.sql.PreparedStatement update =
            copy.prepareStatement("UPDATE server_state SET epoch = ? WHERE id = 1")) {
          update.setString(1, epoch);
          update.executeUpdate();
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot stamp the metadata backup " + tmp, e);
      }
      try (java.nio.channels.FileChannel channel =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      java.nio.file.Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write the metadata backup " + file, e);
    } finally {
      try {
        java.nio.file.Files.deleteIfExists(tmp);
      } catch (java.io.IOException ignored) {
        // a leftover part file is replaced by the next backup
      }
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private interface Work<T> {
    T run() throws Exception;
  }

  private static <T> T translate(Work<T> work) {
    try {
      return work.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("metadata transaction failed", e);
    }
  }

  /** True when {@code e} reports a violated unique constraint, on SQLite or PostgreSQL. */
  static boolean isUniqueViolation(StatementException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        if ("23505".equals(sql.getSQLState())) {
          return true;
        }
        String message = String.valueOf(sql.getMessage());
        if (message.contains("UNIQUE constraint failed")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Runs an insert or update, turning a unique violation into a conflict of the given type. */
  static void uniquely(Runnable statement, String type, String message) {
    try {
      statement.run();
    } catch (StatementException e) {
      if (isUniqueViolation(e)) {
        throw new ConflictException(type, message);
      }
      throw e;
    }
  }

  private static final class Tx implements MetadataTransaction {
    private final Handle handle;
    private final boolean postgres;

    /**
     * On SQLite a transaction is the only writer and reads one snapshot, so what it read by id
     * stays true until it writes it. Not on PostgreSQL: each statement reads what was committed
     * when it began, and writers that take turns on a lock must read after taking it (see
     * FileService).
     */
    private final RememberingNodeRecords remembered;

    Tx(Handle handle, boolean postgres) {
      this.handle = handle;
      this.postgres = postgres;
      this.remembered = postgres ? null : new RememberingNodeRecords(new JdbiNodeRecords(handle));
    }

    @Override
    public JdbiChunkRecords chunks() {
      return new JdbiChunkRecords(handle, postgres);
    }

    @Override
    public JdbiUploadRecords uploads() {
      return new JdbiUploadRecords(handle);
    }

    @Override
    public JdbiUserRecords users() {
      return new JdbiUserRecords(handle, postgres);
    }

    @Override
    public JdbiDeviceRecords devices() {
      return new JdbiDeviceRecords(handle);
    }

    @Override
    public JdbiNamespaceRecords namespaces() {
      return new JdbiNamespaceRecords(handle);
    }

    @Override
    public NodeRecords nodes() {
      return remembered != null ? remembered : new JdbiNodeRecords(handle);
    }

    @Override
    public JdbiRevisionRecords revisions() {
      return new JdbiRevisionRecords(handle);
    }

    @Override
    public JdbiJournalRecords journal() {
      return new JdbiJournalRecords(handle);
    }

    @Override
    public JdbiShareRecords shares() {
      return new JdbiShareRecords(handle);
    }

    @Override
    public JdbiOperationRecords operations() {
      return new JdbiOperationRecords(handle);
    }

    @Override
    public JdbiLinkRecords links() {
      return new JdbiLinkRecords(handle);
    }

    @Override
    public JdbiServerRecords server() {
      return new JdbiServerRecords(handle);
    }

    @Override
    public JdbiIntegrityRecords integrity() {
      return new JdbiIntegrityRecords(handle);
    }

    @Override
    public <T> T savepoint(Function<MetadataTransaction, T> work) {
      // One name for every savepoint: the innermost of a name is the one rolled back to or
      // released, and a fixed statement text stays in the SQL parser's cache (a new name per
      // operation evicted every other statement from it).
      handle.execute("SAVEPOINT op");
      T result;
      try {
        result = work.apply(this);
      } catch (RuntimeException | Error e) {
        if (remembered != null) {
          remembered.forget();
        }
        handle.execute("ROLLBACK TO SAVEPOINT op");
        handle.execute("RELEASE SAVEPOINT op");
        throw e;
      }
      handle.execute("RELEASE SAVEPOINT op");
      return result;
    }
  }
}
