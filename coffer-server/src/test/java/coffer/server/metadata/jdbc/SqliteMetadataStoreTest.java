package coffer.server.metadata.jdbc;

import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest extends MetadataStoreContract {

  @TempDir Path tmp;

  @Override
  protected MetadataStore openStore() {
    return JdbiMetadataStore.open(Database.sqliteUrl(tmp.resolve("m.db")));
  }
}
