package coffer.server.metadata.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * Opens a metadata database from a JDBC URL and brings its schema up to date. Flyway has no
 * per-vendor placeholder, so the migration folder is chosen from the driver's product name and a
 * missing folder fails loudly instead of silently running nothing.
 */
public final class Database {

  private Database() {}

  /** The embedded default: one SQLite file. */
  public static String sqliteUrl(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }

  /** Opens, migrates and returns a pooled data source; the caller closes it. */
  public static HikariDataSource open(String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("coffer-metadata");
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      // WAL lets readers run beside the one writer; FULL makes every commit durable before it is
      // acknowledged; IMMEDIATE takes the write lock at BEGIN, so two writers never deadlock on a
      // lock upgrade and wait (busy_timeout) instead.
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "FULL");
      config.addDataSourceProperty("busy_timeout", "30000");
      config.addDataSourceProperty("foreign_keys", "true");
      config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      config.setMaximumPoolSize(8);
    } else {
      config.setMaximumPoolSize(16);
    }
    config.setInitializationFailTimeout(10_000);
    HikariDataSource dataSource = new HikariDataSource(config);
    try {
      migrate(dataSource);
    } catch (RuntimeException | SQLException e) {
      dataSource.close();
      throw new IllegalStateException("cannot migrate the metadata database: " + e.getMessage(), e);
    }
    return dataSource;
  }

  static String vendor(HikariDataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      String product = connection.getMetaData().getDatabaseProductName().toLowerCase();
      if (product.contains("sqlite")) {
        return "sqlite";
      }
      if (product.contains("postgres")) {
        return "postgresql";
      }
      throw new SQLException("unsupported metadata database: " + product);
    }
  }

  private static void migrate(HikariDataSource dataSource) throws SQLException {
    Flyway.configure(Database.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/migration/" + vendor(dataSource))
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }
}
