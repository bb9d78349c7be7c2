package coffer.server.metadata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest extends MetadataStoreContract {

  @TempDir Path tmp;

  @Override
  protected MetadataStore openStore() {
    return JdbiMetadataStore.open(Database.sqliteUrl(tmp.resolve("m.db")));
  }

  @Nested
  class Backups {

    @Test
    void a_backup_is_one_file_holding_the_store_as_it_was_with_its_own_epoch() throws Exception {
      Home home = newHome("bea");
      String liveEpoch = store.read(tx -> tx.server().epoch());
      Path copy = tmp.resolve("backup").resolve("metadata.db");
      Files.createDirectories(copy.getParent());

      store.backUpTo(copy, "backup-epoch");
      newHome("later");

      try (java.util.stream.Stream<Path> files = Files.list(copy.getParent())) {
        assertThat(files.map(f -> f.getFileName().toString())).containsExactly("metadata.db");
      }
      try (MetadataStore restored = JdbiMetadataStore.open(Database.sqliteUrl(copy))) {
        String restoredEpoch = restored.read(tx -> tx.server().epoch());
        long users = restored.read(tx -> tx.users().count());
        assertThat(restoredEpoch).isEqualTo("backup-epoch").isNotEqualTo(liveEpoch);
        assertThat(users).isEqualTo(1);
        java.util.Optional<coffer.core.model.User> bea =
            restored.read(tx -> tx.users().byId(home.user().id()));
        assertThat(bea).isPresent();
      }
      String stillLive = store.read(tx -> tx.server().epoch());
      assertThat(stillLive).isEqualTo(liveEpoch);
    }
  }
}
