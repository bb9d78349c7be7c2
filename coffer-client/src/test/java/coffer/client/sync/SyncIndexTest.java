package coffer.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.sync.SyncItem;
import coffer.core.sync.SyncTree;
import java.nio.file.Path;
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
}
