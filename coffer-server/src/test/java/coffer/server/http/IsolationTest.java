package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.Multipart;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One user's tree is invisible to every other user: each attempt is a 404, exactly like an id that
 * does not exist, so ids reveal nothing; and nothing of the owner's changes.
 */
class IsolationTest {

  static final byte[] SECRET = "the secret plan".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path tmp;
  static TestServer server;

  Account alice;
  Account bob;
  JsonNode file;
  JsonNode folder;

  @BeforeAll
  static void start() {
    server = TestServer.start(tmp);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void aliceHasAFileInAFolder() {
    alice = server.newUniqueAccount("alice");
    bob = server.newUniqueAccount("bob");
    file = alice.uploaded("/secret/plan.txt", SECRET);
    folder = alice.lookup("/secret").expect(200).json();
  }

  @AfterEach
  void alicesTreeIsIntact() {
    assertThat(alice.download(id(file))).isEqualTo(SECRET);
    JsonNode now = alice.get("/api/v1/files/" + id(file) + "/metadata").expect(200).json();
    assertThat(now.path("path").asText()).isEqualTo("/secret/plan.txt");
    assertThat(now.path("revision").asText()).isEqualTo(file.path("revision").asText());
    assertThat(alice.childNames(id(folder))).containsExactly("plan.txt");
    assertThat(alice.childNames("root")).containsExactly("secret");
  }

  static String id(JsonNode node) {
    return node.path("id").asText();
  }

  /** Bob's attempt on alice's node must look exactly like an attempt on a made-up id. */
  void looksMissing(Function<String, Reply> attempt, String realId) {
    Reply real = attempt.apply(realId).expectProblem(404);
    Reply madeUp = attempt.apply("0000000000000000000000000a").expectProblem(404);
    assertThat(real.json().path("type")).isEqualTo(madeUp.json().path("type"));
    assertThat(real.detail()).isEqualTo(madeUp.detail());
  }

  @Nested
  class AStrangerGets404 {

    @Test
    void for_the_content_of_another_users_file() {
      looksMissing(id -> bob.get("/api/v1/files/" + id), id(file));
      looksMissing(id -> bob.get("/api/v1/files/" + id, "Range", "bytes=0-3"), id(file));
    }

    @Test
    void for_the_metadata_of_another_users_file_and_folder() {
      looksMissing(id -> bob.get("/api/v1/files/" + id + "/metadata"), id(file));
      looksMissing(id -> bob.get("/api/v1/files/" + id + "/metadata"), id(folder));
    }

    @Test
    void for_the_children_of_another_users_folder() {
      looksMissing(id -> bob.get("/api/v1/files/" + id + "/children"), id(folder));
    }

    @Test
    void when_renaming_or_moving_another_users_file_or_folder() {
      for (JsonNode target : List.of(file, folder)) {
        looksMissing(id -> bob.patch("/api/v1/files/" + id, Map.of("name", "mine")), id(target));
        looksMissing(
            id -> bob.patch("/api/v1/files/" + id, Map.of("parentId", "root")), id(target));
        looksMissing(id -> bob.patch("/api/v1/files/" + id, Map.of("path", "/stolen")), id(target));
      }
      bob.lookup("/stolen").expectProblem(404);
      bob.lookup("/mine").expectProblem(404);
    }

    @Test
    void when_deleting_another_users_file_or_folder() {
      looksMissing(id -> bob.delete("/api/v1/files/" + id), id(file));
      looksMissing(id -> bob.delete("/api/v1/files/" + id), id(folder));
    }

    @Test
    void when_moving_their_own_file_into_another_users_folder() {
      JsonNode own = bob.uploaded("/own.txt", new byte[] {1});

      looksMissing(id -> bob.patch("/api/v1/files/" + id(own), Map.of("parentId", id)), id(folder));

      assertThat(bob.lookup("/own.txt").expect(200).json().path("id").asText()).isEqualTo(id(own));
    }

    @Test
    void when_creating_a_folder_or_uploading_into_another_users_folder() {
      looksMissing(
          id -> bob.post("/api/v1/folders", Map.of("parentId", id, "name", "planted")), id(folder));
      looksMissing(
          id -> bob.upload(Map.of("parentId", id, "name", "planted.txt"), new byte[] {1}),
          id(folder));
    }

    @Test
    void when_overwriting_with_another_users_revision_as_base() {
      bob.upload(
              Map.of("path", "/secret/plan.txt", "baseRevision", file.path("revision").asText()),
              "overwritten".getBytes(StandardCharsets.UTF_8))
          .expectProblem(409, "stale-revision");
    }
  }

  @Nested
  class PathsAreResolvedInTheCallersOwnTree {

    @Test
    void a_lookup_of_the_same_path_does_not_find_another_users_file() {
      bob.lookup("/secret/plan.txt").expectProblem(404);
      bob.lookup("/secret").expectProblem(404);
    }

    @Test
    void the_root_alias_is_always_the_callers_own_root() {
      assertThat(bob.childNames("root")).isEmpty();
      assertThat(bob.get("/api/v1/files/root/metadata").expect(200).json().path("id").asText())
          .isNotEqualTo(folder.path("parentId").asText());
    }

    @Test
    void uploading_to_the_same_path_creates_the_callers_own_file() {
      JsonNode bobs =
          bob.uploaded("/secret/plan.txt", "bob's plan".getBytes(StandardCharsets.UTF_8));

      assertThat(id(bobs)).isNotEqualTo(id(file));
      assertThat(bob.download(id(bobs))).isEqualTo("bob's plan".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_multipart_upload_naming_another_users_folder_by_id_is_refused() {
      bob.upload(
              new Multipart()
                  .json(
                      "fileMetadata",
                      "{\"parentId\":\"" + id(folder) + "\",\"name\":\"x.txt\",\"overwrite\":true}")
                  .file("file", "x.txt", new byte[] {9}))
          .expectProblem(404);
    }
  }
}
