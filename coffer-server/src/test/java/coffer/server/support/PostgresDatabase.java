package coffer.server.support;

import coffer.core.model.Ids;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL that tests use: {@value #URL}, trusted local access. Every test gets a schema of
 * its own, so tests (and engineers) sharing the database never see each other's tables.
 */
public final class PostgresDatabase {

  public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private PostgresDatabase() {}

  private static String unreachable;
  private static boolean probed;

  /** Whether PostgreSQL answers; asked once per test run. */
  public static synchronized boolean reachable() {
    if (!probed) {
      probed = true;
      try (Connection connection = DriverManager.getConnection(URL + "&connectTimeout=5")) {
        if (!connection.isValid(5)) {
          unreachable = "the connection is not valid";
        }
      } catch (SQLException e) {
        unreachable = e.getMessage();
      }
      if (unreachable != null) {
        LoggerFactory.getLogger(PostgresDatabase.class)
            .warn(
                "PostgreSQL is not reachable at {}: {}. Its tests are {}.",
                URL,
                unreachable,
                System.getenv("CI") != null ? "failing (CI is set)" : "skipped");
      }
    }
    return unreachable == null;
  }

  /**
   * Skips the calling test when PostgreSQL cannot be reached, with a message saying so; under CI
   * (the environment variable {@code CI} is set) fails it instead, so a missing database never
   * passes silently. Call it before each test, so every test is reported as skipped or failed.
   */
  public static void requireReachable() {
    if (reachable()) {
      return;
    }
    RequiredServices.missing("PostgreSQL is not reachable at " + URL + ": " + unreachable);
  }

  /** Creates a fresh, empty schema and returns its name. */
  public static String createSchema() throws SQLException {
    String schema = "s_" + Ids.newId();
    execute("CREATE SCHEMA " + schema);
    return schema;
  }

  /** The JDBC URL of a schema made by {@link #createSchema()}. */
  public static String url(String schema) {
    return URL + "&currentSchema=" + schema;
  }

  public static void dropSchema(String schema) throws SQLException {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(URL);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
