package coffer.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.core.sync.SyncItem;
import coffer.core.sync.SyncTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncIndexTest {

  @TempDir Path tmp;

  /**
   * A folder deleted on the server while this device kept a file in it is made again, and gets a
   * new id; a download planned in the same round, under the folder's former id, must land under the
   * new one. Found by simulation seed 5105: the file's synced record pointed at a folder nothing
   * held.
   */
  @Test
  void a_record_made_from_a_plan_older_than_a_new_folder_id_lands_under_the_new_id() {
    try (SyncIndex index = SyncIndex.open(tmp.resolve("index.db"))) {
      index.recordSynced(SyncItem.folder("old", "root", "x"), false, null, null);
      index.recordSynced(SyncItem.file("f", "old", "photo.jpg", "c1", "r1"), false, null, null);

      index.recordSynced(SyncItem.folder("new", "root", "x"), true, "old", null);
      SyncTree moved = index.synced("root");
      assertThat(moved.get("f").orElseThrow().parentId()).isEqualTo("new");
      assertThat(moved.contains("old")).isFalse();

      index.recordSynced(SyncItem.file("f", "old", "photo.jpg", "c2", "r2"), false, null, null);
      SyncTree synced = index.synced("root");
      assertThat(synced.get("f").orElseThrow().parentId()).isEqualTo("new");
      assertThat(synced.get("f").orElseThrow().content()).isEqualTo("c2");
      assertThat(synced.path("f")).isEqualTo("x/photo.jpg");
    }
  }

  /**
   * The index keeps its statements prepared between uses; a query must still end its read, or the
   * write-ahead log could never be folded back into the database and would grow without end.
   */
  @Test
  void statements_kept_prepared_leave_no_read_open_and_the_log_can_be_checkpointed()
      throws Exception {
    Path file = tmp.resolve("index.db");
    try (SyncIndex index = SyncIndex.open(file)) {
      for (int i = 0; i < 50; i++) {
        index.recordSynced(
            SyncItem.file("f" + i, "root", "f" + i, "c" + i, "r" + i), false, null, null);
        assertThat(index.synced("root").contains("f" + i)).isTrue();
        assertThat(index.meta("cursor")).isEmpty();
      }
      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement statement = other.createStatement();
          ResultSet checkpoint = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        assertThat(checkpoint.next()).isTrue();
        assertThat(checkpoint.getInt(1)).as("checkpoint blocked by an open read").isZero();
      }
      assertThat(Files.size(tmp.resolve("index.db-wal"))).isZero();
    }
  }

  @Test
  void records_made_together_are_kept_together_or_not_at_all() {
    try (SyncIndex index = SyncIndex.open(tmp.resolve("index.db"))) {
      index.together(
          () -> {
            index.recordSynced(SyncItem.file("a", "root", "a", "c1", "r1"), false, null, null);
            index.recordSynced(SyncItem.file("b", "root", "b", "c2", "r2"), false, null, null);
          });
      assertThatThrownBy(
              () ->
                  index.together(
                      () -> {
                        index.recordSynced(
                            SyncItem.file("c", "root", "c", "c3", "r3"), false, null, null);
                        throw new IllegalStateException("fails on purpose");
                      }))
          .hasMessage("fails on purpose");

      SyncTree synced = index.synced("root");
      assertThat(synced.contains("a")).isTrue();
      assertThat(synced.contains("b")).isTrue();
      assertThat(synced.contains("c")).isFalse();
    }
  }
}
