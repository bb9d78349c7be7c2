package coffer.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.sync.SyncAction.LocalWrite;
import coffer.core.sync.SyncAction.RemoteMove;
import coffer.core.sync.SyncAction.RemoteUpload;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerScaleTest {

  private static final String ROOT = "root";

  @Test
  void plans_a_hundred_thousand_items_in_seconds_not_minutes() {
    Map<String, SyncItem> base = new LinkedHashMap<>();
    for (int f = 0; f < 1_000; f++) {
      String folder = "f" + f;
      base.put(folder, SyncItem.folder(folder, f < 10 ? ROOT : "f" + (f % 10), "folder " + f));
      for (int i = 0; i < 99; i++) {
        String id = folder + "." + i;
        base.put(id, SyncItem.file(id, folder, "file " + i + ".txt", "c" + id, "v1"));
      }
    }
    Map<String, SyncItem> remote = new LinkedHashMap<>(base);
    Map<String, SyncItem> local = new LinkedHashMap<>();
    base.forEach((id, item) -> local.put(id, item.withContent(item.content(), null)));
    // In every folder, one file edited remotely, one moved locally, one new locally.
    for (int f = 0; f < 1_000; f++) {
      String folder = "f" + f;
      String next = "f" + (f + 1) % 1_000;
      remote.put(folder + ".1", remote.get(folder + ".1").withContent("edited " + f, "v2"));
      local.put(folder + ".2", local.get(folder + ".2").withLocation(next, "moved.txt"));
      local.put("new " + f, SyncItem.file("new " + f, folder, "new.txt", "n" + f, null));
    }
    SyncTree remoteTree = new SyncTree(ROOT, remote.values());
    SyncTree localTree = new SyncTree(ROOT, local.values());
    SyncTree syncedTree = new SyncTree(ROOT, base.values());

    long start = System.nanoTime();
    List<SyncAction> plan = Planner.plan(remoteTree, localTree, syncedTree, ThreeTrees.CONTEXT);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(syncedTree.size()).isEqualTo(100_000);
    assertThat(plan).filteredOn(LocalWrite.class::isInstance).hasSize(1_000);
    assertThat(plan).filteredOn(RemoteMove.class::isInstance).hasSize(1_000);
    assertThat(plan).filteredOn(RemoteUpload.class::isInstance).hasSize(1_000);
    assertThat(plan).hasSize(3_000);
    // Linear work takes about half a second here once the JIT has warmed up, and a few seconds
    // on a cold, busy machine; a quadratic step would take minutes.
    assertThat(took).isLessThan(Duration.ofSeconds(10));
  }
}
