package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.ServerConfig;
import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The trash over HTTP: list, restore, purge. */
class TrashApiTest extends FreshServerTest {

  @Override
  protected UnaryOperator<ServerConfig> configure() {
    return c -> c.withGarbageCollection(Duration.ZERO, Duration.ofHours(1));
  }

  private List<String> trashPaths() {
    List<String> paths = new ArrayList<>();
    alice.get("/api/v1/trash").expect(200).json().forEach(i -> paths.add(i.path("path").asText()));
    return paths;
  }

  @Test
  void a_deleted_file_is_listed_and_restored_where_it_was_with_its_content() {
    String id = alice.uploaded("/docs/a.txt", new byte[] {1, 2, 3}).path("id").asText();
    alice.delete("/api/v1/files/" + id).expect(204);
    assertThat(trashPaths()).containsExactly("/docs/a.txt");

    JsonNode back = alice.post("/api/v1/trash/" + id + "/restore", null).expect(200).json();
    assertThat(back.path("path").asText()).isEqualTo("/docs/a.txt");
    assertThat(alice.download(id)).containsExactly(1, 2, 3);
    assertThat(trashPaths()).isEmpty();
  }

  @Test
  void a_deleted_folder_is_one_item_and_comes_back_with_everything_in_it() {
    String folder = alice.folder("/box").path("id").asText();
    String inner = alice.uploaded("/box/in/x.txt", new byte[] {9}).path("id").asText();
    alice.delete("/api/v1/files/" + folder).expect(204);
    assertThat(trashPaths()).containsExactly("/box");

    alice.post("/api/v1/trash/" + folder + "/restore", null).expect(200);
    assertThat(alice.lookup("/box/in/x.txt").expect(200).json().path("id").asText())
        .isEqualTo(inner);
  }

  @Test
  void a_restored_item_whose_name_was_taken_meanwhile_gets_a_free_name() {
    String old = alice.uploaded("/a.txt", new byte[] {1}).path("id").asText();
    alice.delete("/api/v1/files/" + old).expect(204);
    alice.uploaded("/a.txt", new byte[] {2});
    JsonNode back = alice.post("/api/v1/trash/" + old + "/restore", null).expect(200).json();
    assertThat(back.path("path").asText()).isEqualTo("/a (restored).txt");
    assertThat(alice.download(old)).containsExactly(1);
  }

  @Test
  void an_item_whose_folder_is_gone_comes_back_in_the_root() {
    alice.folder("/d");
    String file = alice.uploaded("/d/f.txt", new byte[] {5}).path("id").asText();
    alice.delete("/api/v1/files/" + file).expect(204);
    alice.delete("/api/v1/files/" + alice.lookup("/d").json().path("id").asText()).expect(204);
    assertThat(trashPaths()).containsExactlyInAnyOrder("/d", "/d/f.txt");

    JsonNode back = alice.post("/api/v1/trash/" + file + "/restore", null).expect(200).json();
    assertThat(back.path("path").asText()).isEqualTo("/f.txt");
  }

  @Test
  void a_restore_is_reported_in_the_change_feed() {
    String id = alice.uploaded("/r.txt", new byte[] {1}).path("id").asText();
    alice.delete("/api/v1/files/" + id).expect(204);
    String cursor = alice.get("/api/v1/changes").expect(200).json().path("cursor").asText();
    alice.post("/api/v1/trash/" + id + "/restore", null).expect(200);
    JsonNode entries =
        alice.get("/api/v1/changes?cursor=" + cursor).expect(200).json().path("entries");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).path("op").asText()).isEqualTo("restore");
  }

  @Test
  void purging_deletes_for_good_and_lets_garbage_collection_reclaim_the_chunks() {
    String id = alice.uploaded("/p.bin", new byte[] {7, 7}).path("id").asText();
    alice.delete("/api/v1/files/" + id).expect(204);
    assertThat(server.server().collectGarbage().chunksDeleted()).isZero();

    alice.delete("/api/v1/trash/" + id).expect(204);
    assertThat(trashPaths()).isEmpty();
    alice.post("/api/v1/trash/" + id + "/restore", null).expectProblem(404, "not-in-trash");
    assertThat(server.server().collectGarbage().chunksDeleted()).isEqualTo(1);
  }

  @Test
  void emptying_the_trash_purges_every_item_and_strangers_cannot_touch_it() {
    String a = alice.uploaded("/1.txt", new byte[] {1}).path("id").asText();
    String b = alice.uploaded("/2.txt", new byte[] {2}).path("id").asText();
    alice.delete("/api/v1/files/" + a).expect(204);
    alice.delete("/api/v1/files/" + b).expect(204);

    Account bob = server.newAccount("bob");
    bob.post("/api/v1/trash/" + a + "/restore", null).expectProblem(404, "not-in-trash");
    bob.delete("/api/v1/trash/" + a).expectProblem(404);
    assertThat(bob.get("/api/v1/trash").expect(200).json()).isEmpty();

    assertThat(alice.delete("/api/v1/trash").expect(200).json().path("purged").asInt())
        .isEqualTo(2);
    assertThat(trashPaths()).isEmpty();
    alice.upload(Map.of("path", "/1.txt"), new byte[] {1}).expect(201);
  }
}
