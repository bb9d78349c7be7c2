package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The change feed over HTTP: snapshot, cursors, long-poll, history. */
class ChangesApiTest extends FreshServerTest {

  private static JsonNode page(Account account, String cursor) {
    String query =
        cursor == null ? "" : "?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    return account.get("/api/v1/changes" + query).expect(200).json();
  }

  private static List<String> ops(JsonNode page) {
    List<String> ops = new ArrayList<>();
    page.path("entries")
        .forEach(e -> ops.add(e.path("op").asText() + " " + e.path("path").asText()));
    return ops;
  }

  @Nested
  class The_feed {
    @Test
    void starts_with_a_snapshot_of_the_tree_then_follows_the_journal() {
      alice.folder("/docs");
      alice.uploaded("/docs/a.txt", new byte[] {1});
      JsonNode first = page(alice, null);
      assertThat(ops(first)).containsExactlyInAnyOrder("exists /docs", "exists /docs/a.txt");

      alice.uploaded("/docs/b.txt", new byte[] {2});
      JsonNode second = page(alice, first.path("cursor").asText());
      assertThat(ops(second)).containsExactly("create /docs/b.txt");
      assertThat(second.path("hasMore").asBoolean()).isFalse();

      JsonNode third = page(alice, second.path("cursor").asText());
      assertThat(third.path("entries")).isEmpty();
    }

    @Test
    void pages_a_large_snapshot_without_losing_or_repeating_a_node() {
      for (int i = 0; i < 25; i++) {
        alice.post("/api/v1/folders", Map.of("path", "/f" + i)).expect(201);
      }
      List<String> seen = new ArrayList<>();
      String cursor = null;
      JsonNode page;
      do {
        String query = cursor == null ? "?limit=7" : "?limit=7&cursor=" + cursor;
        page = alice.get("/api/v1/changes" + query).expect(200).json();
        page.path("entries").forEach(e -> seen.add(e.path("path").asText()));
        cursor = page.path("cursor").asText();
      } while (page.path("hasMore").asBoolean());
      assertThat(seen).hasSize(25).doesNotHaveDuplicates();
    }

    @Test
    void reports_a_move_and_a_delete_as_one_entry_each() {
      String id = alice.folder("/old").path("id").asText();
      String cursor = page(alice, null).path("cursor").asText();
      alice.patch("/api/v1/files/" + id, Map.of("name", "new")).expect(200);
      alice.delete("/api/v1/files/" + id).expect(204);
      assertThat(ops(page(alice, cursor))).containsExactly("move /new", "delete /new");
    }

    @Test
    void refuses_a_forged_cursor() {
      alice.get("/api/v1/changes?cursor=not-a-cursor").expectProblem(400, "invalid-cursor");
    }

    @Test
    void never_shows_another_users_changes() {
      Account bob = server.newAccount("bob");
      String cursor = page(bob, null).path("cursor").asText();
      alice.folder("/private");
      assertThat(page(bob, cursor).path("entries")).isEmpty();
    }
  }

  @Nested
  class Under_concurrent_writers {
    @Test
    void every_reader_sees_every_entry_exactly_once_in_order() throws Exception {
      int writers = 8;
      int commits = 500;
      String start = page(alice, null).path("cursor").asText();
      ExecutorService pool = Executors.newFixedThreadPool(writers + 4);
      try {
        List<Future<?>> writing = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          int writer = w;
          writing.add(
              pool.submit(
                  () -> {
                    for (int c = 0; c < commits; c++) {
                      alice
                          .post(
                              "/api/v1/folders",
                              Map.of("path", "/w" + writer + "/c" + c, "parents", true))
                          .expect(201);
                    }
                  }));
        }
        List<Future<List<Long>>> reading = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
          Random random = new Random(r);
          reading.add(pool.submit(() -> follow(start, writing, random)));
        }
        for (Future<?> writer : writing) {
          writer.get();
        }
        for (Future<List<Long>> reader : reading) {
          List<Long> seqs = reader.get();
          // Each writer creates its folder once, then 500 subfolders: 8 + 8 × 500 entries.
          assertThat(seqs).hasSize(writers + writers * commits);
          for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("entry %d", i).isEqualTo(seqs.getFirst() + i);
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }

    /** Follows the feed, sometimes abandoning a long-poll midway, until writers are done. */
    private List<Long> follow(String cursor, List<Future<?>> writers, Random random) {
      List<Long> seqs = new ArrayList<>();
      while (true) {
        boolean writing = writers.stream().anyMatch(f -> !f.isDone());
        JsonNode page = page(alice, cursor);
        page.path("entries").forEach(e -> seqs.add(e.path("seq").asLong()));
        cursor = page.path("cursor").asText();
        if (!writing && !page.path("hasMore").asBoolean() && page.path("entries").isEmpty()) {
          return seqs;
        }
        String encoded = URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        if (page.path("entries").isEmpty()) {
          alice.get("/api/v1/changes/wait?timeout=1&cursor=" + encoded).expect(200);
        } else if (random.nextInt(4) == 0) {
          // A client that disconnects: the wait is abandoned, the cursor is all it keeps.
          CompletableFuture.runAsync(
              () -> alice.get("/api/v1/changes/wait?timeout=1&cursor=" + encoded));
        }
      }
    }
  }

  @Nested
  class The_long_poll {
    @Test
    void returns_as_soon_as_another_device_commits() throws Exception {
      Account otherDevice = server.login("alice");
      String cursor = page(alice, null).path("cursor").asText();
      String wait =
          "/api/v1/changes/wait?timeout=30&cursor="
              + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
      CompletableFuture<JsonNode> waiting =
          CompletableFuture.supplyAsync(() -> alice.get(wait).expect(200).json());
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      while (server.server().waitingLongPolls() == 0) {
        assertThat(Instant.now()).as("the long-poll parks").isBefore(deadline);
        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
      }
      Instant committed = Instant.now();
      otherDevice.folder("/new");
      JsonNode signal = waiting.get();
      assertThat(signal.path("changed").asBoolean()).isTrue();
      // Loose on purpose (a noisy 2-core VM); the benchmark measures the real figure.
      assertThat(Duration.between(committed, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void times_out_quietly_when_nothing_changes() {
      String cursor = page(alice, null).path("cursor").asText();
      JsonNode signal =
          alice
              .get(
                  "/api/v1/changes/wait?timeout=1&cursor="
                      + URLEncoder.encode(cursor, StandardCharsets.UTF_8))
              .expect(200)
              .json();
      assertThat(signal.path("changed").asBoolean()).isFalse();
    }
  }

  @Nested
  class History {
    @Test
    void lists_a_files_versions_and_moves_oldest_first() {
      String id = alice.uploaded("/h.txt", new byte[] {1}).path("id").asText();
      alice.upload(Map.of("path", "/h.txt", "overwrite", true), new byte[] {2}).expect(201);
      alice.patch("/api/v1/files/" + id, Map.of("name", "renamed.txt")).expect(200);
      JsonNode history = alice.get("/api/v1/files/" + id + "/changes").expect(200).json();
      List<String> ops = new ArrayList<>();
      history.forEach(e -> ops.add(e.path("op").asText() + " " + e.path("path").asText()));
      assertThat(ops).containsExactly("create /h.txt", "update /h.txt", "move /renamed.txt");
    }

    @Test
    void of_a_folder_includes_everything_that_was_ever_inside() {
      String id = alice.folder("/box").path("id").asText();
      String inner = alice.uploaded("/box/in.txt", new byte[] {1}).path("id").asText();
      alice.delete("/api/v1/files/" + inner).expect(204);
      JsonNode history = alice.get("/api/v1/files/" + id + "/changes").expect(200).json();
      assertThat(history).hasSize(3);
      assertThat(alice.get("/api/v1/files/root/changes").expect(200).json()).hasSize(3);
      Account bob = server.newAccount("bob");
      bob.get("/api/v1/files/" + id + "/changes").expectProblem(404);
    }
  }

  @Nested
  class Entries_rebuild_the_tree_by_id {
    @Test
    void each_entry_names_its_parent_and_a_files_content() {
      String folder = alice.folder("/docs").path("id").asText();
      JsonNode file = alice.uploaded("/docs/a.txt", new byte[] {1, 2, 3});
      JsonNode snapshot = page(alice, null);
      for (JsonNode e : snapshot.path("entries")) {
        if (e.path("path").asText().equals("/docs/a.txt")) {
          assertThat(e.path("parentId").asText()).isEqualTo(folder);
          assertThat(e.path("contentHash").asText()).isEqualTo(file.path("contentHash").asText());
          assertThat(e.path("size").asLong()).isEqualTo(3);
        }
      }
      String cursor = snapshot.path("cursor").asText();
      alice.patch("/api/v1/files/" + file.path("id").asText(), Map.of("parentId", "root"));
      JsonNode moved = page(alice, cursor).path("entries").get(0);
      assertThat(moved.path("op").asText()).isEqualTo("move");
      assertThat(moved.path("parentId").asText())
          .isEqualTo(alice.lookup("/").json().path("id").asText());
      assertThat(moved.path("contentHash").asText()).isEqualTo(file.path("contentHash").asText());
    }

    @Test
    void a_restored_folder_brings_an_entry_for_everything_that_came_back_parents_first() {
      String folder = alice.folder("/trip").path("id").asText();
      alice.folder("/trip/day1");
      alice.uploaded("/trip/day1/photo.jpg", new byte[] {7});
      alice.delete("/api/v1/files/" + folder).expect(204);
      String cursor = page(alice, null).path("cursor").asText();

      alice.post("/api/v1/trash/" + folder + "/restore", null).expect(200);

      assertThat(ops(page(alice, cursor)))
          .containsExactly("restore /trip", "restore /trip/day1", "restore /trip/day1/photo.jpg");
    }
  }
}
