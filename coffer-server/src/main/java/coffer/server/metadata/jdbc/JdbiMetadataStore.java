package coffer.server.metadata.jdbc;

import coffer.core.error.ConflictException;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataTransaction;
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

  private static final java.util.concurrent.atomic.AtomicLong SAVEPOINTS =
      new java.util.concurrent.atomic.AtomicLong();

  private static final class Tx implements MetadataTransaction {
    private final Handle handle;
    private final boolean postgres;

    Tx(Handle handle, boolean postgres) {
      this.handle = handle;
      this.postgres = postgres;
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
    public JdbiNodeRecords nodes() {
      return new JdbiNodeRecords(handle);
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
    public <T> T savepoint(Function<MetadataTransaction, T> work) {
      String name = "op" + SAVEPOINTS.incrementAndGet();
      handle.execute("SAVEPOINT " + name);
      T result;
      try {
        result = work.apply(this);
      } catch (RuntimeException | Error e) {
        handle.execute("ROLLBACK TO SAVEPOINT " + name);
        handle.execute("RELEASE SAVEPOINT " + name);
        throw e;
      }
      handle.execute("RELEASE SAVEPOINT " + name);
      return result;
    }
  }
}
