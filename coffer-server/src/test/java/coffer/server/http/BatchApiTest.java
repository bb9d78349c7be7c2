package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/batch}: many operations, one request, one result each. */
class BatchApiTest extends FreshServerTest {

  private static Map<String, Object> put(String opId, String path, String text) {
    Map<String, Object> op = new HashMap<>();
    op.put("op", "put");
    op.put("opId", opId);
    op.put("path", path);
    op.put("data", base64(text));
    return op;
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, Object> op(Object... pairs) {
    Map<String, Object> op = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      op.put((String) pairs[i], pairs[i + 1]);
    }
    return op;
  }

  private JsonNode batch(Account who, List<Map<String, Object>> operations) {
    JsonNode results =
        who.post("/api/v1/batch", Map.of("operations", operations))
            .expect(200)
            .json()
            .path("results");
    assertThat(results).hasSize(operations.size());
    return results;
  }

  private String text(String id) {
    return new String(alice.download(id), StandardCharsets.UTF_8);
  }

  @Nested
  class Many_small_files {

    @Test
    void a_thousand_files_commit_in_one_request_each_with_its_own_result() {
      List<Map<String, Object>> ops = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        ops.add(put("op-" + i, "/many/f" + i + ".txt", "content " + i));
      }
      JsonNode results = batch(alice, ops);
      for (int i = 0; i < 1000; i++) {
        JsonNode result = results.get(i);
        assertThat(result.path("opId").asText()).isEqualTo("op-" + i);
        assertThat(result.path("status").asInt()).isEqualTo(201);
        assertThat(result.path("file").path("path").asText()).isEqualTo("/many/f" + i + ".txt");
      }
      assertThat(text(results.get(999).path("file").path("id").asText())).isEqualTo("content 999");
      String folder = alice.lookup("/many").expect(200).json().path("id").asText();
      assertThat(alice.childNames(folder)).hasSize(1000);
    }

    @Test
    void a_refused_operation_changes_nothing_and_the_others_still_apply() {
      alice.folder("/taken");
      JsonNode results =
          batch(
              alice,
              List.of(
                  put("a", "/one.txt", "1"),
                  op("op", "mkdir", "opId", "b", "path", "/taken"),
                  op("op", "mkdir", "opId", "c", "path", "/bad:name"),
                  op("op", "frobnicate", "opId", "d"),
                  put("e", "/two.txt", "2")));
      assertThat(results.get(0).path("status").asInt()).isEqualTo(201);
      assertThat(results.get(1).path("status").asInt()).isEqualTo(409);
      assertThat(results.get(1).path("problem").path("type").asText())
          .isEqualTo("/problems/name-taken");
      assertThat(results.get(2).path("status").asInt()).isEqualTo(400);
      assertThat(results.get(2).path("problem").path("type").asText())
          .isEqualTo("/problems/invalid-name");
      assertThat(results.get(3).path("status").asInt()).isEqualTo(400);
      assertThat(results.get(4).path("status").asInt()).isEqualTo(201);
      assertThat(alice.childNames("root")).containsExactlyInAnyOrder("taken", "one.txt", "two.txt");
    }

    @Test
    void malformed_or_oversized_batches_are_the_clients_mistake() {
      alice.post("/api/v1/batch", Map.of()).expectProblem(400, "missing-operations");
      alice.post("/api/v1/batch", Map.of("operations", List.of())).expectProblem(400);
      List<Map<String, Object>> tooMany = new ArrayList<>();
      for (int i = 0; i < 10_001; i++) {
        tooMany.add(op("op", "mkdir", "path", "/x" + i));
      }
      alice
          .post("/api/v1/batch", Map.of("operations", tooMany))
          .expectProblem(400, "too-many-operations");
      JsonNode bad =
          batch(alice, List.of(op("op", "put", "path", "/p.txt", "data", "not base64!")));
      assertThat(bad.get(0).path("status").asInt()).isEqualTo(400);
    }
  }

  @Nested
  class Retries {

    @Test
    void a_replayed_operation_id_makes_one_revision_and_answers_the_same_node() {
      Map<String, Object> op = put("save-1", "/notes.txt", "hello");
      op.put("overwrite", true);
      JsonNode first = batch(alice, List.of(op)).get(0);
      JsonNode again = batch(alice, List.of(op)).get(0);

      assertThat(first.path("replayed").asBoolean()).isFalse();
      assertThat(again.path("replayed").asBoolean()).isTrue();
      assertThat(again.path("status").asInt()).isEqualTo(201);
      String id = first.path("file").path("id").asText();
      assertThat(again.path("file").path("id").asText()).isEqualTo(id);
      assertThat(alice.get("/api/v1/files/" + id + "/versions").expect(200).json()).hasSize(1);
    }

    @Test
    void a_batch_retried_after_only_its_first_transactions_committed_finishes_the_rest() {
      // The server commits a batch a hundred operations at a time: a retry after it stopped
      // between two of them must answer the committed ones and apply only the others.
      List<Map<String, Object>> ops = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        ops.add(put("part-" + i, "/parts/f" + i + ".txt", "part " + i));
      }
      ops.set(170, op("opId", "part-170", "op", "put", "path", "/parts/bad", "data", "%%%"));
      JsonNode committed = batch(alice, ops.subList(0, 150));

      JsonNode retried = batch(alice, ops);

      for (int i = 0; i < 250; i++) {
        JsonNode result = retried.get(i);
        assertThat(result.path("opId").asText()).isEqualTo("part-" + i);
        if (i == 170) {
          assertThat(result.path("status").asInt()).isEqualTo(400);
          continue;
        }
        assertThat(result.path("status").asInt()).isEqualTo(201);
        assertThat(result.path("replayed").asBoolean()).isEqualTo(i < 150);
        if (i < 150) {
          assertThat(result.path("file").path("id").asText())
              .isEqualTo(committed.get(i).path("file").path("id").asText());
        }
      }
      assertThat(text(retried.get(249).path("file").path("id").asText())).isEqualTo("part 249");
      String folder = alice.lookup("/parts").expect(200).json().path("id").asText();
      assertThat(alice.childNames(folder)).hasSize(249);
    }

    @Test
    void a_replayed_delete_is_answered_not_repeated() {
      String id = alice.uploaded("/gone.txt", new byte[] {1}).path("id").asText();
      Map<String, Object> delete = op("op", "delete", "opId", "del-1", "id", id);
      assertThat(batch(alice, List.of(delete)).get(0).path("status").asInt()).isEqualTo(200);
      JsonNode again = batch(alice, List.of(delete)).get(0);
      assertThat(again.path("replayed").asBoolean()).isTrue();
      assertThat(again.path("status").asInt()).isEqualTo(200);
      assertThat(alice.get("/api/v1/trash").expect(200).json()).hasSize(1);
    }

    @Test
    void operation_ids_belong_to_their_user() {
      Account bob = server.newAccount("bob");
      batch(alice, List.of(put("same-id", "/a.txt", "alice")));
      JsonNode bobs = batch(bob, List.of(put("same-id", "/a.txt", "bob"))).get(0);
      assertThat(bobs.path("replayed").asBoolean()).isFalse();
      assertThat(bobs.path("status").asInt()).isEqualTo(201);
    }
  }

  @Nested
  class Optimistic_concurrency {

    @Test
    void a_stale_base_revision_is_a_conflict_naming_the_current_one_and_both_contents_survive() {
      JsonNode v1 = batch(alice, List.of(put(null, "/doc.txt", "v1"))).get(0).path("file");
      String id = v1.path("id").asText();
      Map<String, Object> fromLaptop = op("op", "put", "id", id, "data", base64("laptop"));
      fromLaptop.put("baseRevision", v1.path("revision").asText());
      JsonNode v2 = batch(alice, List.of(fromLaptop)).get(0);
      assertThat(v2.path("status").asInt()).isEqualTo(200);
      String current = v2.path("file").path("revision").asText();

      Map<String, Object> fromPhone = op("op", "put", "id", id, "data", base64("phone"));
      fromPhone.put("baseRevision", v1.path("revision").asText());
      JsonNode stale = batch(alice, List.of(fromPhone)).get(0);

      assertThat(stale.path("status").asInt()).isEqualTo(409);
      assertThat(stale.path("problem").path("type").asText()).isEqualTo("/problems/stale-revision");
      assertThat(stale.path("problem").path("currentRevision").asText()).isEqualTo(current);
      assertThat(text(id)).isEqualTo("laptop");
      assertThat(
              alice
                  .get("/api/v1/files/" + id + "?revision=" + v1.path("revision").asText())
                  .expect(200)
                  .text())
          .isEqualTo("v1");
    }

    @Test
    void the_single_endpoints_refuse_stale_revisions_too() {
      JsonNode v1 = alice.uploaded("/s.txt", new byte[] {1});
      String id = v1.path("id").asText();
      alice.upload(Map.of("path", "/s.txt", "overwrite", true), new byte[] {2}).expect(201);
      String stale = v1.path("revision").asText();

      alice
          .patch("/api/v1/files/" + id, Map.of("name", "t.txt", "baseRevision", stale))
          .expectProblem(409, "stale-revision");
      alice
          .delete("/api/v1/files/" + id + "?baseRevision=" + stale)
          .expectProblem(409, "stale-revision");
      assertThat(alice.lookup("/s.txt").expect(200).json().path("id").asText()).isEqualTo(id);
    }

    @Test
    void an_update_by_id_lands_on_the_file_wherever_it_was_moved_meanwhile() {
      JsonNode file = alice.uploaded("/here.txt", "old".getBytes(StandardCharsets.UTF_8));
      String id = file.path("id").asText();
      alice.folder("/elsewhere");
      alice.patch("/api/v1/files/" + id, Map.of("path", "/elsewhere/there.txt")).expect(200);

      Map<String, Object> edit = op("op", "put", "id", id, "data", base64("new"));
      edit.put("baseRevision", file.path("revision").asText());
      JsonNode result = batch(alice, List.of(edit)).get(0);

      assertThat(result.path("status").asInt()).isEqualTo(200);
      assertThat(result.path("file").path("path").asText()).isEqualTo("/elsewhere/there.txt");
      assertThat(text(id)).isEqualTo("new");
    }

    @Test
    void deleting_a_folder_whose_contents_changed_since_the_callers_view_is_refused() {
      String folder = alice.folder("/project").path("id").asText();
      long seen =
          alice
              .get("/api/v1/files/" + folder + "/changes")
              .expect(200)
              .json()
              .get(0)
              .path("seq")
              .asLong();
      alice.uploaded("/project/new.txt", new byte[] {9});

      JsonNode refused =
          batch(alice, List.of(op("op", "delete", "id", folder, "baseSeq", seen))).get(0);
      assertThat(refused.path("status").asInt()).isEqualTo(409);
      assertThat(refused.path("problem").path("type").asText())
          .isEqualTo("/problems/changed-since");
      assertThat(alice.lookup("/project/new.txt").status()).isEqualTo(200);

      long now =
          alice
              .get("/api/v1/files/" + folder + "/changes")
              .expect(200)
              .json()
              .get(1)
              .path("seq")
              .asLong();
      JsonNode deleted =
          batch(alice, List.of(op("op", "delete", "id", folder, "baseSeq", now))).get(0);
      assertThat(deleted.path("status").asInt()).isEqualTo(200);
      assertThat(alice.lookup("/project").status()).isEqualTo(404);
    }
  }

  @Test
  void a_batch_wakes_a_waiting_long_poll_once_with_every_change_in_the_feed() {
    String cursor = alice.get("/api/v1/changes").expect(200).json().path("cursor").asText();
    batch(alice, List.of(put("x", "/a/1.txt", "1"), put("y", "/a/2.txt", "2")));
    assertThat(
            alice
                .get("/api/v1/changes/wait?timeout=5&cursor=" + cursor)
                .expect(200)
                .json()
                .path("changed")
                .asBoolean())
        .isTrue();
    JsonNode entries =
        alice.get("/api/v1/changes?cursor=" + cursor).expect(200).json().path("entries");
    assertThat(entries)
        .extracting(e -> e.path("path").asText())
        .containsExactly("/a", "/a/1.txt", "/a/2.txt");
  }
}
