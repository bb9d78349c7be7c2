package coffer.server.metadata.jdbc;

import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataStoreContract;
import coffer.server.support.PostgresDatabase;
import java.sql.SQLException;

/**
 * The contract against a real PostgreSQL, each test in a fresh schema of its own. When PostgreSQL
 * cannot be reached these tests are skipped, except under CI (environment variable CI set), where
 * they fail.
 */
class PostgresMetadataStoreTest extends MetadataStoreContract {

  private String schema;

  @Override
  protected MetadataStore openStore() throws SQLException {
    PostgresDatabase.requireReachable();
    schema = PostgresDatabase.createSchema();
    return JdbiMetadataStore.open(PostgresDatabase.url(schema));
  }

  @Override
  protected void afterClose() throws SQLException {
    if (schema != null) {
      PostgresDatabase.dropSchema(schema);
    }
  }

  @org.junit.jupiter.api.Test
  void backups_of_postgresql_are_left_to_its_own_tools() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store.backUpTo(java.nio.file.Path.of("/tmp/never-written.db"), "e"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("pg_dump");
  }
}
