package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.FreshServerTest;
import coffer.server.support.PostgresSuite;
import coffer.server.support.TestServer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** The API suite really runs on the store it was started for (SQLite, or PostgreSQL when asked). */
class SuiteDatabaseTest extends FreshServerTest {

  @Test
  void what_the_api_stores_lands_in_the_database_the_suite_runs_on() throws Exception {
    alice.uploaded("/where.txt", "stored".getBytes());
    if (TestServer.ON_POSTGRES) {
      try (Connection db = DriverManager.getConnection(PostgresSuite.urlFor(data));
          ResultSet rows =
              db.createStatement()
                  .executeQuery("SELECT count(*) FROM nodes WHERE name = 'where.txt'")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(1);
      }
      assertThat(data.resolve("metadata.db")).doesNotExist();
    } else {
      assertThat(Files.size(data.resolve("metadata.db"))).isPositive();
    }
  }
}
