package coffer.server.support;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schemas of a suite run on PostgreSQL ({@link TestServer#ON_POSTGRES}): one per data
 * directory, made on first use and dropped when the test JVM exits.
 */
public final class PostgresSuite {

  private static final Map<Path, String> SCHEMAS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (String schema : List.copyOf(SCHEMAS.values())) {
                    try {
                      PostgresDatabase.dropSchema(schema);
                    } catch (SQLException ignored) {
                      // the database is going away with the run; a stray schema is harmless
                    }
                  }
                }));
  }

  private PostgresSuite() {}

  /** The JDBC URL of the schema that serves {@code dataDir}, made the first time it is asked. */
  public static String urlFor(Path dataDir) {
    if (!PostgresDatabase.reachable()) {
      // Asked for explicitly: a missing database is a failure, never a silent fall-back.
      throw new IllegalStateException(
          "-Dcoffer.test.database=postgres, but PostgreSQL is not reachable at "
              + PostgresDatabase.URL);
    }
    String schema =
        SCHEMAS.computeIfAbsent(
            dataDir.toAbsolutePath().normalize(),
            dir -> {
              try {
                return PostgresDatabase.createSchema();
              } catch (SQLException e) {
                throw new IllegalStateException("cannot create a test schema", e);
              }
            });
    return PostgresDatabase.url(schema);
  }
}
