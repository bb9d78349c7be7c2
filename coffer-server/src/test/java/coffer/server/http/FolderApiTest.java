package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FolderApiTest {

  @TempDir static Path tmp;
  static TestServer server;
  Account alice;

  @BeforeAll
  static void start() {
    server = TestServer.start(tmp);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void signIn() {
    alice = server.newUniqueAccount("alice");
  }

  String id(JsonNode node) {
    return node.path("id").asText();
  }

  JsonNode found(String path) {
    return alice.lookup(path).expect(200).json();
  }

  @Nested
  class CreatingAndListing {

    @Test
    void a_folder_is_created_by_path() {
      JsonNode folder = alice.folder("/a");

      assertThat(folder.path("kind").asText()).isEqualTo("folder");
      assertThat(folder.path("name").asText()).isEqualTo("a");
      assertThat(folder.path("path").asText()).isEqualTo("/a");
      assertThat(id(found("/a"))).isEqualTo(id(folder));
    }

    @Test
    void a_folder_is_created_by_parent_id_and_name() {
      JsonNode a = alice.folder("/a");

      JsonNode b =
          alice.post("/api/v1/folders", Map.of("parentId", id(a), "name", "b")).expect(201).json();

      assertThat(b.path("path").asText()).isEqualTo("/a/b");
      assertThat(b.path("parentId").asText()).isEqualTo(id(a));
    }

    @Test
    void a_folder_in_a_missing_parent_needs_the_parents_flag() {
      alice.post("/api/v1/folders", Map.of("path", "/x/y/z")).expectProblem(404);

      alice.post("/api/v1/folders", Map.of("path", "/x/y/z", "parents", true)).expect(201);
      alice.post("/api/v1/folders", Map.of("path", "/x/y/z", "parents", true)).expect(201);

      assertThat(found("/x/y/z").path("kind").asText()).isEqualTo("folder");
    }

    @Test
    void an_upload_to_a_nested_path_creates_the_missing_parents() {
      JsonNode file = alice.uploaded("/a/b/c.txt", "deep".getBytes(StandardCharsets.UTF_8));

      JsonNode a = found("/a");
      JsonNode b = found("/a/b");
      assertThat(a.path("kind").asText()).isEqualTo("folder");
      assertThat(b.path("kind").asText()).isEqualTo("folder");
      assertThat(b.path("parentId").asText()).isEqualTo(id(a));
      assertThat(file.path("parentId").asText()).isEqualTo(id(b));
      assertThat(file.path("path").asText()).isEqualTo("/a/b/c.txt");
    }

    @Test
    void an_upload_below_a_file_is_a_conflict() {
      alice.uploaded("/f.txt", new byte[] {1});

      alice.upload("/f.txt/inner.txt", new byte[] {2}).expectProblem(409, "not-a-folder");
    }

    @Test
    void children_are_listed_folders_first_then_by_name() {
      alice.uploaded("/a/zeta.txt", new byte[] {1});
      alice.uploaded("/a/Alpha.txt", new byte[] {2});
      alice.folder("/a/omega");
      alice.folder("/a/Beta");
      alice.uploaded("/a/beta.txt", new byte[] {3});

      JsonNode listing =
          alice.get("/api/v1/files/" + id(found("/a")) + "/children").expect(200).json();

      assertThat(listing.path("folder").path("path").asText()).isEqualTo("/a");
      assertThat(listing.path("children").findValuesAsText("name"))
          .containsExactly("Beta", "omega", "Alpha.txt", "beta.txt", "zeta.txt");
      assertThat(listing.path("children").findValuesAsText("path"))
          .containsExactly("/a/Beta", "/a/omega", "/a/Alpha.txt", "/a/beta.txt", "/a/zeta.txt");
    }

    @Test
    void the_root_is_listed_by_its_alias() {
      alice.folder("/docs");
      alice.uploaded("/readme.txt", new byte[] {1});
      alice.uploaded("/docs/inner.txt", new byte[] {2});

      JsonNode listing = alice.get("/api/v1/files/root/children").expect(200).json();

      assertThat(listing.path("folder").path("path").asText()).isEqualTo("/");
      assertThat(listing.path("children").findValuesAsText("name"))
          .containsExactly("docs", "readme.txt");
    }

    @Test
    void a_new_account_has_an_empty_root() {
      assertThat(alice.childNames("root")).isEmpty();
    }

    @Test
    void a_file_has_no_children() {
      String file = id(alice.uploaded("/f.txt", new byte[] {1}));

      alice.get("/api/v1/files/" + file + "/children").expectProblem(409, "not-a-folder");
    }

    @Test
    void lookup_finds_a_file_by_its_path_in_any_case() {
      JsonNode file = alice.uploaded("/a/b/c.txt", new byte[] {1, 2, 3});

      JsonNode exact = found("/a/b/c.txt");
      assertThat(id(exact)).isEqualTo(id(file));
      assertThat(exact.path("size").asLong()).isEqualTo(3);
      assertThat(id(found("/A/B/C.TXT"))).isEqualTo(id(file));
      assertThat(found("/").path("kind").asText()).isEqualTo("folder");
    }

    @Test
    void lookup_of_a_missing_path_is_404_and_without_a_path_is_400() {
      alice.lookup("/nothing/here").expectProblem(404, "not-found");
      alice.get("/api/v1/lookup").expectProblem(400, "invalid-path");
      alice.lookup("/a/../etc").expectProblem(400, "invalid-name");
    }
  }

  @Nested
  class Moving {

    @Test
    void renaming_keeps_the_id_and_changes_name_and_path() {
      JsonNode file = alice.uploaded("/dir/old.txt", "content".getBytes(StandardCharsets.UTF_8));

      JsonNode renamed =
          alice.patch("/api/v1/files/" + id(file), Map.of("name", "new")).expect(200).json();

      assertThat(id(renamed)).isEqualTo(id(file));
      assertThat(renamed.path("name").asText()).isEqualTo("new");
      assertThat(renamed.path("path").asText()).isEqualTo("/dir/new");
      assertThat(id(found("/dir/new"))).isEqualTo(id(file));
      alice.lookup("/dir/old.txt").expectProblem(404);
      assertThat(alice.download(id(file))).isEqualTo("content".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_name_may_change_only_in_case() {
      JsonNode file = alice.uploaded("/readme.txt", new byte[] {1});

      alice.patch("/api/v1/files/" + id(file), Map.of("name", "README.txt")).expect(200);

      assertThat(alice.childNames("root")).containsExactly("README.txt");
    }

    @Test
    void setting_a_parent_id_moves_the_node() {
      JsonNode file = alice.uploaded("/src/f.txt", new byte[] {1});
      JsonNode target = alice.folder("/dst");

      JsonNode moved =
          alice
              .patch("/api/v1/files/" + id(file), Map.of("parentId", id(target)))
              .expect(200)
              .json();

      assertThat(moved.path("path").asText()).isEqualTo("/dst/f.txt");
      assertThat(moved.path("parentId").asText()).isEqualTo(id(target));
      assertThat(alice.childNames(id(found("/src")))).isEmpty();
      assertThat(alice.childNames(id(target))).containsExactly("f.txt");
    }

    @Test
    void setting_a_path_moves_and_renames_at_once() {
      JsonNode file = alice.uploaded("/a/f.txt", new byte[] {1});
      alice.folder("/x");

      JsonNode moved =
          alice.patch("/api/v1/files/" + id(file), Map.of("path", "/x/y")).expect(200).json();

      assertThat(moved.path("path").asText()).isEqualTo("/x/y");
      assertThat(moved.path("name").asText()).isEqualTo("y");
      assertThat(id(found("/x/y"))).isEqualTo(id(file));
      alice.lookup("/a/f.txt").expectProblem(404);
    }

    @Test
    void moving_a_folder_moves_its_subtree() {
      alice.uploaded("/a/b/c.txt", new byte[] {1});
      JsonNode a = found("/a");
      alice.folder("/z");

      alice.patch("/api/v1/files/" + id(a), Map.of("path", "/z/a2")).expect(200);

      assertThat(found("/z/a2/b/c.txt").path("path").asText()).isEqualTo("/z/a2/b/c.txt");
      alice.lookup("/a/b/c.txt").expectProblem(404);
    }

    @Test
    void a_folder_cannot_move_into_its_own_subfolder_or_itself() {
      JsonNode a = alice.folder("/a");
      JsonNode b = alice.folder("/a/b");
      alice.folder("/a/b/c");

      alice
          .patch("/api/v1/files/" + id(a), Map.of("parentId", id(b)))
          .expectProblem(400, "move-into-self");
      alice
          .patch("/api/v1/files/" + id(a), Map.of("path", "/a/b/c/a"))
          .expectProblem(400, "move-into-self");
      alice
          .patch("/api/v1/files/" + id(a), Map.of("parentId", id(a)))
          .expectProblem(400, "move-into-self");

      assertThat(found("/a/b/c").path("path").asText()).isEqualTo("/a/b/c");
      assertThat(alice.childNames("root")).containsExactly("a");
    }

    @Test
    void moving_onto_a_case_variant_of_a_sibling_is_409_name_taken() {
      alice.uploaded("/dir/Taken.txt", new byte[] {1});
      JsonNode other = alice.uploaded("/other.txt", new byte[] {2});

      alice
          .patch("/api/v1/files/" + id(other), Map.of("path", "/dir/taken.TXT"))
          .expectProblem(409, "name-taken");

      assertThat(found("/other.txt").path("id").asText()).isEqualTo(id(other));
    }

    @Test
    void moving_into_a_file_or_a_missing_folder_fails_cleanly() {
      JsonNode f = alice.uploaded("/f.txt", new byte[] {1});
      JsonNode g = alice.uploaded("/g.txt", new byte[] {2});

      alice
          .patch("/api/v1/files/" + id(g), Map.of("parentId", id(f)))
          .expectProblem(409, "not-a-folder");
      alice.patch("/api/v1/files/" + id(g), Map.of("path", "/f.txt/g.txt")).expectProblem(409);
      alice.patch("/api/v1/files/" + id(g), Map.of("path", "/nope/g.txt")).expectProblem(404);
      alice.patch("/api/v1/files/" + id(g), Map.of("parentId", "nope")).expectProblem(404);
    }

    @Test
    void the_root_cannot_be_moved() {
      alice.folder("/a");

      alice.patch("/api/v1/files/root", Map.of("name", "r")).expectProblem(400, "root-immutable");
    }
  }

  @Nested
  class Deleting {

    @Test
    void deleting_a_folder_removes_its_whole_subtree() {
      JsonNode c = alice.uploaded("/a/b/c.txt", new byte[] {1});
      JsonNode d = alice.uploaded("/a/d.txt", new byte[] {2});
      JsonNode keep = alice.uploaded("/keep.txt", new byte[] {3});
      JsonNode a = found("/a");
      JsonNode b = found("/a/b");

      alice.delete("/api/v1/files/" + id(a)).expect(204);

      for (JsonNode gone : new JsonNode[] {a, b, c, d}) {
        alice.get("/api/v1/files/" + id(gone) + "/metadata").expectProblem(404);
      }
      alice.get("/api/v1/files/" + id(c)).expectProblem(404);
      alice.get("/api/v1/files/" + id(b) + "/children").expectProblem(404);
      for (String path : new String[] {"/a", "/a/b", "/a/b/c.txt", "/a/d.txt"}) {
        alice.lookup(path).expectProblem(404);
      }
      assertThat(alice.childNames("root")).containsExactly("keep.txt");
      assertThat(alice.download(id(keep))).containsExactly(3);
    }

    @Test
    void a_deleted_folders_name_can_be_used_again_and_starts_empty() {
      alice.uploaded("/a/old.txt", new byte[] {1});
      alice.delete("/api/v1/files/" + id(found("/a"))).expect(204);

      JsonNode fresh = alice.folder("/a");

      assertThat(alice.childNames(id(fresh))).isEmpty();
    }
  }

  @Nested
  class Names {

    @Test
    void a_sibling_whose_name_differs_only_in_case_is_409_name_taken() {
      alice.folder("/Photos");

      alice.post("/api/v1/folders", Map.of("path", "/photos")).expectProblem(409, "name-taken");
      alice
          .post("/api/v1/folders", Map.of("parentId", "root", "name", "PHOTOS"))
          .expectProblem(409, "name-taken");
      alice.post("/api/v1/folders", Map.of("path", "/Photos")).expectProblem(409, "name-taken");

      assertThat(alice.childNames("root")).containsExactly("Photos");
    }

    @Test
    void the_same_name_in_different_folders_is_fine() {
      alice.folder("/a");
      alice.folder("/b");

      alice.folder("/a/same");
      alice.folder("/b/same");
    }

    static Stream<Arguments> badNames() {
      return Stream.of(
          Arguments.of("..", "'..' is not allowed"),
          Arguments.of(".", "'.' is not allowed"),
          Arguments.of("", "cannot be empty"),
          Arguments.of("a/b", "cannot contain '/'"),
          Arguments.of("a\\b", "cannot contain '\\'"),
          Arguments.of("a:b", "cannot contain ':'"),
          Arguments.of("a\u0000b", "control characters"),
          Arguments.of("line\nbreak", "control characters"),
          Arguments.of("x".repeat(256), "at most 255 bytes"),
          Arguments.of("é".repeat(128), "at most 255 bytes"),
          Arguments.of("CON", "reserved device name"),
          Arguments.of("con.txt", "reserved device name"),
          Arguments.of("LPT1", "reserved device name"),
          Arguments.of("trailing.", "cannot end with a dot or a space"),
          Arguments.of("trailing ", "cannot end with a dot or a space"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badNames")
    void a_bad_name_is_400_invalid_name_saying_why(String name, String why) {
      Reply reply =
          alice
              .post("/api/v1/folders", Map.of("parentId", "root", "name", name))
              .expectProblem(400, "invalid-name");

      assertThat(reply.detail()).contains(why);
      assertThat(alice.childNames("root")).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badNames")
    void a_bad_name_is_refused_for_renames_too(String name, String why) {
      JsonNode file = alice.uploaded("/ok.txt", new byte[] {1});

      Reply reply =
          alice
              .patch("/api/v1/files/" + id(file), Map.of("name", name))
              .expectProblem(400, "invalid-name");

      assertThat(reply.detail()).contains(why);
      assertThat(alice.childNames("root")).containsExactly("ok.txt");
    }

    @Test
    void the_longest_allowed_name_is_fine() {
      alice
          .post("/api/v1/folders", Map.of("parentId", "root", "name", "x".repeat(255)))
          .expect(201);
    }

    @Test
    void names_are_stored_in_nfc() {
      String decomposed = "Cafe\u0301";

      JsonNode folder =
          alice
              .post("/api/v1/folders", Map.of("parentId", "root", "name", decomposed))
              .expect(201)
              .json();

      assertThat(folder.path("name").asText()).isEqualTo("Caf\u00e9");
      alice.post("/api/v1/folders", Map.of("path", "/Caf\u00e9")).expectProblem(409, "name-taken");
    }
  }
}
