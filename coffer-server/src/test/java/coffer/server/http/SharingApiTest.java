package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.Await;
import coffer.server.support.FreshServerTest;
import coffer.server.support.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Sharing folders and files with people, over HTTP, with the roles the server enforces. */
class SharingApiTest extends FreshServerTest {

  private Account bob;
  private Account carol;

  @BeforeEach
  void accounts() {
    bob = server.newAccount("bob");
    carol = server.newAccount("carol");
  }

  private JsonNode share(Account owner, String id, String user, String role) {
    return shareRequest(owner, id, user, role).expect(200).json();
  }

  /** {@code who} asks to share {@code id} with {@code user} as {@code role}: the reply as it is. */
  private static Reply shareRequest(Account who, String id, String user, String role) {
    return who.post(
        "/api/v1/files/" + id + "/share",
        Map.of("users", List.of(user), "permissions", List.of(role)));
  }

  /** The same, also saying whether editors may share further. */
  private static Reply shareRequest(
      Account who, String id, String user, String role, boolean editorsCanShare) {
    return who.post(
        "/api/v1/files/" + id + "/share",
        Map.of(
            "users",
            List.of(user),
            "permissions",
            List.of(role),
            "editorsCanShare",
            editorsCanShare));
  }

  private static String id(JsonNode node) {
    return node.path("id").asText();
  }

  private String mountOf(Account member) {
    JsonNode shared = member.get("/api/v1/shared-with-me").expect(200).json();
    assertThat(shared).hasSize(1);
    return id(shared.get(0));
  }

  private static String encode(String path) {
    return URLEncoder.encode(path, StandardCharsets.UTF_8);
  }

  /** Every entry of the feed from {@code cursor} (null: from a snapshot) to now. */
  private static Feed feed(Account who, String cursor) {
    List<JsonNode> entries = new ArrayList<>();
    String at = cursor;
    while (true) {
      JsonNode page =
          who.get("/api/v1/changes" + (at == null ? "" : "?cursor=" + at)).expect(200).json();
      page.path("entries").forEach(entries::add);
      at = page.path("cursor").asText();
      if (!page.path("hasMore").asBoolean()) {
        return new Feed(entries, at);
      }
    }
  }

  private record Feed(List<JsonNode> entries, String cursor) {
    JsonNode about(String id) {
      return entries.stream()
          .filter(e -> e.path("id").asText().equals(id))
          .reduce((a, b) -> b)
          .orElse(null);
    }

    List<String> ops(String id) {
      return entries.stream()
          .filter(e -> e.path("id").asText().equals(id))
          .map(e -> e.path("op").asText())
          .toList();
    }
  }

  @Nested
  class A_shared_folder {

    private String docs;
    private String report;

    @BeforeEach
    void aliceHasDocs() {
      docs = id(alice.folder("/Docs"));
      report = id(alice.uploaded("/Docs/sub/report.txt", "v1".getBytes()));
    }

    @Test
    void appears_in_the_recipients_tree_and_keeps_every_id_and_path_for_the_owner() {
      JsonNode shares = share(alice, docs, "bob", "editor");
      assertThat(shares.path("owner").asText()).isEqualTo("alice");
      assertThat(shares.path("members").findValuesAsText("user")).containsExactly("alice", "bob");

      // Nothing moved for the owner.
      assertThat(id(alice.lookup("/Docs/sub/report.txt").expect(200).json())).isEqualTo(report);
      JsonNode meta = alice.get("/api/v1/files/" + report + "/metadata").expect(200).json();
      assertThat(meta.path("path").asText()).isEqualTo("/Docs/sub/report.txt");

      String mount = mountOf(bob);
      assertThat(bob.childNames("root")).containsExactly("Docs");
      assertThat(bob.childNames(mount)).containsExactly("sub");
      JsonNode seen = bob.lookup("/Docs/sub/report.txt").expect(200).json();
      assertThat(id(seen)).isEqualTo(report);
      assertThat(seen.path("path").asText()).isEqualTo("/Docs/sub/report.txt");
      assertThat(bob.download(report)).isEqualTo("v1".getBytes());
      JsonNode sub = bob.lookup("/Docs/sub").expect(200).json();
      assertThat(sub.path("parentId").asText()).isEqualTo(mount);
    }

    @Test
    void an_editor_writes_and_the_owner_sees_it_and_the_reverse() {
      share(alice, docs, "bob", "editor");
      String bobs = id(bob.uploaded("/Docs/from-bob.txt", "hi".getBytes()));
      assertThat(alice.download(id(alice.lookup("/Docs/from-bob.txt").expect(200).json())))
          .isEqualTo("hi".getBytes());
      assertThat(id(alice.lookup("/Docs/from-bob.txt").expect(200).json())).isEqualTo(bobs);

      bob.post("/api/v1/folders", Map.of("path", "/Docs/made-by-bob")).expect(201);
      bob.patch("/api/v1/files/" + report, Map.of("name", "renamed.txt")).expect(200);
      assertThat(alice.lookup("/Docs/sub/renamed.txt").expect(200).json().path("id").asText())
          .isEqualTo(report);
      assertThat(alice.childNames(docs)).contains("made-by-bob", "from-bob.txt", "sub");

      alice.uploaded("/Docs/from-alice.txt", "yo".getBytes());
      assertThat(bob.childNames(mountOf(bob))).contains("from-alice.txt");
    }

    @Test
    void a_name_the_recipient_already_uses_is_kept_and_the_mount_gets_another() {
      String own = id(bob.folder("/Docs"));
      share(alice, docs, "bob", "viewer");
      assertThat(bob.childNames("root")).containsExactlyInAnyOrder("Docs", "Docs (alice)");
      assertThat(id(bob.lookup("/Docs").expect(200).json())).isEqualTo(own);
      assertThat(bob.childNames(mountOf(bob))).containsExactly("sub");
    }

    @Test
    void a_viewer_reads_but_every_write_is_refused_with_403() {
      share(alice, docs, "bob", "viewer");
      String mount = mountOf(bob);
      assertThat(bob.download(report)).isEqualTo("v1".getBytes());

      bob.upload("/Docs/new.txt", new byte[] {1}).expectProblem(403, "read-only");
      bob.post("/api/v1/folders", Map.of("path", "/Docs/new")).expectProblem(403, "read-only");
      bob.patch("/api/v1/files/" + report, Map.of("name", "x.txt")).expectProblem(403, "read-only");
      bob.patch("/api/v1/files/" + report, Map.of("parentId", "root"))
          .expectProblem(403, "read-only");
      bob.delete("/api/v1/files/" + report).expectProblem(403, "read-only");
      int refused =
          bob.post(
                  "/api/v1/batch",
                  Map.of(
                      "operations",
                      List.of(
                          Map.of(
                              "op",
                              "put",
                              "id",
                              report,
                              "data",
                              Base64.getEncoder().encodeToString("evil".getBytes())))))
              .expect(200)
              .json()
              .path("results")
              .get(0)
              .path("status")
              .asInt();
      assertThat(refused).isEqualTo(403);
      assertThat(alice.download(report)).isEqualTo("v1".getBytes());
      String version =
          alice
              .get("/api/v1/files/" + report + "/versions")
              .expect(200)
              .json()
              .get(0)
              .path("revision")
              .asText();
      bob.post("/api/v1/files/" + report + "/versions/" + version + "/restore", null)
          .expectProblem(403, "read-only");

      // Nor can a viewer share, or raise anyone's role, their own included.
      shareRequest(bob, mount, "carol", "viewer").expectProblem(403, "cannot-share");
      shareRequest(bob, mount, "bob", "editor").expectProblem(403, "cannot-share");
      assertThat(
              alice
                  .get("/api/v1/files/" + docs + "/share")
                  .expect(200)
                  .json()
                  .path("members")
                  .findValuesAsText("role"))
          .containsExactly("owner", "viewer");

      // What was deleted in the folder is the viewer's to see (its history), not to restore;
      // purging is the owner's alone.
      alice.delete("/api/v1/files/" + report).expect(204);
      bob.get("/api/v1/files/" + report + "/changes").expect(200);
      bob.post("/api/v1/trash/" + report + "/restore", null).expectProblem(403, "read-only");
      bob.delete("/api/v1/trash/" + report).expectProblem(404, "not-in-trash");
      alice.post("/api/v1/trash/" + report + "/restore", null).expect(200);

      // The viewer's own mount is theirs to rename.
      bob.patch("/api/v1/files/" + mount, Map.of("name", "From Alice")).expect(200);
      assertThat(bob.lookup("/From Alice/sub/report.txt").expect(200).json().path("id").asText())
          .isEqualTo(report);
      assertThat(alice.lookup("/Docs/sub/report.txt").expect(200)).isNotNull();
    }

    @Test
    void a_stranger_gets_404_for_everything_in_it() {
      share(alice, docs, "bob", "editor");
      for (String id : List.of(docs, report, mountOf(bob))) {
        carol.get("/api/v1/files/" + id + "/metadata").expectProblem(404);
        carol.get("/api/v1/files/" + id + "/share").expectProblem(404);
        carol.delete("/api/v1/files/" + id).expectProblem(404);
      }
    }

    @Test
    void the_members_feed_shows_the_mount_and_its_contents_and_follows_edits() {
      Feed before = feed(bob, null);
      share(alice, docs, "bob", "editor");
      String mount = mountOf(bob);
      Feed after = feed(bob, before.cursor());
      assertThat(after.about(mount).path("op").asText()).isEqualTo("create");
      assertThat(after.about(mount).path("path").asText()).isEqualTo("/Docs");
      JsonNode file = after.about(report);
      assertThat(file.path("path").asText()).isEqualTo("/Docs/sub/report.txt");
      JsonNode sub = after.about(id(alice.lookup("/Docs/sub").expect(200).json()));
      assertThat(sub.path("parentId").asText()).isEqualTo(mount);

      alice
          .upload(Map.of("path", "/Docs/sub/report.txt", "overwrite", true), "v2".getBytes())
          .expect(201);
      Feed edit = feed(bob, after.cursor());
      assertThat(edit.ops(report)).containsExactly("update");
      assertThat(edit.about(report).path("path").asText()).isEqualTo("/Docs/sub/report.txt");

      // A fresh snapshot shows the same tree.
      Feed fresh = feed(bob, null);
      assertThat(fresh.about(report).path("path").asText()).isEqualTo("/Docs/sub/report.txt");
      assertThat(fresh.about(mount).path("kind").asText()).isEqualTo("folder");
    }

    @Test
    void a_viewers_mount_is_marked_read_only_in_the_feed_until_the_role_changes() {
      Feed before = feed(bob, null);
      share(alice, docs, "bob", "viewer");
      String mount = mountOf(bob);
      Feed after = feed(bob, before.cursor());
      assertThat(after.about(mount).path("readOnly").asBoolean()).isTrue();
      share(alice, docs, "bob", "editor");
      Feed promoted = feed(bob, after.cursor());
      assertThat(promoted.about(mount)).isNotNull();
      assertThat(promoted.about(mount).path("readOnly").asBoolean()).isFalse();
    }

    @Test
    void the_owners_feed_never_shows_a_shared_file_deleted() {
      Feed before = feed(alice, null);
      share(alice, docs, "bob", "editor");
      Feed after = feed(alice, before.cursor());
      assertThat(after.entries()).noneMatch(e -> e.path("op").asText().equals("delete"));
      assertThat(after.about(report).path("path").asText()).isEqualTo("/Docs/sub/report.txt");
    }

    @Test
    void a_members_long_poll_wakes_when_the_owner_changes_the_folder() throws Exception {
      share(alice, docs, "bob", "editor");
      Feed now = feed(bob, null);
      var waiting =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  bob.get("/api/v1/changes/wait?cursor=" + now.cursor() + "&timeout=30")
                      .expect(200)
                      .json());
      Await.until(
          "bob's long-poll to park",
          Duration.ofSeconds(10),
          () -> server.server().waitingLongPolls() > 0);
      alice.uploaded("/Docs/later.txt", new byte[] {7});
      assertThat(waiting.get(10, java.util.concurrent.TimeUnit.SECONDS).path("changed").asBoolean())
          .isTrue();
    }

    @Test
    void moving_a_file_in_and_out_keeps_its_id_and_members_see_it_come_and_go() {
      share(alice, docs, "bob", "editor");
      String loose = id(alice.uploaded("/loose.txt", "L".getBytes()));
      Feed bobBefore = feed(bob, null);
      Feed aliceBefore = feed(alice, null);

      alice.patch("/api/v1/files/" + loose, Map.of("parentId", docs)).expect(200);
      assertThat(bob.lookup("/Docs/loose.txt").expect(200).json().path("id").asText())
          .isEqualTo(loose);
      Feed bobIn = feed(bob, bobBefore.cursor());
      assertThat(bobIn.about(loose).path("path").asText()).isEqualTo("/Docs/loose.txt");

      bob.patch("/api/v1/files/" + loose, Map.of("parentId", "root")).expect(200);
      assertThat(bob.lookup("/loose.txt").expect(200).json().path("id").asText()).isEqualTo(loose);
      assertThat(alice.get("/api/v1/files/" + loose + "/metadata").expectProblem(404)).isNotNull();
      assertThat(bob.download(loose)).isEqualTo("L".getBytes());

      // Alice saw it come and go; Bob, who sees both places, only ever saw it move.
      Feed aliceAfter = feed(alice, aliceBefore.cursor());
      assertThat(aliceAfter.ops(loose)).last().isEqualTo("delete");
      Feed bobAfter = feed(bob, bobIn.cursor());
      assertThat(bobAfter.ops(loose)).doesNotContain("delete");
      assertThat(bobAfter.about(loose).path("path").asText()).isEqualTo("/loose.txt");

      // What an editor takes out stays restorable for the owner, every version with it.
      JsonNode kept = alice.get("/api/v1/trash").expect(200).json().get(0);
      assertThat(kept.path("path").asText()).isEqualTo("/Docs/loose.txt");
      String copy = kept.path("id").asText();
      assertThat(copy).isNotEqualTo(loose);
      alice.post("/api/v1/trash/" + copy + "/restore", null).expect(200);
      assertThat(alice.download(copy)).isEqualTo("L".getBytes());
      assertThat(bob.download(loose)).isEqualTo("L".getBytes());
    }

    @Test
    void a_shared_folder_cannot_go_inside_another() {
      share(alice, docs, "bob", "editor");
      String other = id(bob.folder("/Bobs"));
      shareRequest(bob, other, "carol", "viewer").expect(200);
      String bobsMount = mountOf(carol);
      assertThat(bobsMount).isNotBlank();
      bob.patch("/api/v1/files/" + other, Map.of("parentId", mountOf(bob)))
          .expectProblem(409, "nested-share");
      String sub = id(alice.lookup("/Docs/sub").expect(200).json());
      shareRequest(alice, sub, "carol", "viewer").expectProblem(409, "nested-share");
    }

    @Test
    void editors_share_further_only_when_the_owner_allows_it() {
      share(alice, docs, "bob", "editor");
      String mount = mountOf(bob);
      Map<String, Object> toCarol =
          Map.of("users", List.of("carol"), "permissions", List.of("viewer"));
      bob.post("/api/v1/files/" + mount + "/share", toCarol).expectProblem(403, "cannot-share");
      shareRequest(bob, mount, "carol", "viewer", true).expectProblem(403, "cannot-share");
      shareRequest(alice, docs, "bob", "editor", true).expect(200);
      bob.post("/api/v1/files/" + mount + "/share", toCarol).expect(200);
      assertThat(carol.download(report)).isEqualTo("v1".getBytes());
      shareRequest(bob, mount, "alice", "viewer").expectProblem(400, "cannot-change-owner");
    }

    @Test
    void an_editors_deletion_lands_in_the_owners_trash_and_comes_back() {
      share(alice, docs, "bob", "editor");
      bob.delete("/api/v1/files/" + report).expect(204);
      JsonNode trash = alice.get("/api/v1/trash").expect(200).json();
      assertThat(trash.findValuesAsText("id")).contains(report);
      alice.post("/api/v1/trash/" + report + "/restore", null).expect(200);
      assertThat(bob.download(report)).isEqualTo("v1".getBytes());
      // An editor cannot purge what is the owner's.
      bob.delete("/api/v1/files/" + report).expect(204);
      bob.delete("/api/v1/trash/" + report).expectProblem(404);
    }

    @Test
    void revoking_removes_the_mount_from_the_members_feed_and_ends_every_access() {
      share(alice, docs, "bob", "editor");
      String mount = mountOf(bob);
      JsonNode manifest = bob.get("/api/v1/files/" + report + "/manifest").expect(200).json();
      String chunkUrl = manifest.path("chunks").get(0).path("url").asText();
      assertThat(bob.send(get(chunkUrl)).status()).isEqualTo(200);
      Feed before = feed(bob, null);

      alice.delete("/api/v1/files/" + docs + "/share/bob").expect(204);

      Feed after = feed(bob, before.cursor());
      assertThat(after.ops(mount)).containsExactly("delete");
      bob.get("/api/v1/files/" + report).expectProblem(404);
      bob.get("/api/v1/files/" + mount + "/children").expectProblem(404);
      bob.lookup("/Docs").expectProblem(404);
      assertThat(bob.get("/api/v1/shared-with-me").expect(200).json()).isEmpty();
      assertThat(bob.send(get(chunkUrl)).status()).isEqualTo(403);
      // The owner's data is untouched.
      assertThat(alice.download(report)).isEqualTo("v1".getBytes());
      assertThat(alice.childNames(docs)).containsExactly("sub");
    }

    @Test
    void links_follow_the_same_rules_as_sharing_and_end_with_the_members_access() {
      share(alice, docs, "carol", "viewer");
      carol
          .post("/api/v1/files/" + mountOf(carol) + "/links", null)
          .expectProblem(403, "cannot-share");
      carol.post("/api/v1/files/" + report + "/links", null).expectProblem(403, "cannot-share");

      // The owner's link to the shared folder shows what is in it.
      String ownerLink =
          alice
              .post("/api/v1/files/" + docs + "/links", null)
              .expect(201)
              .json()
              .path("token")
              .asText();
      JsonNode listing = server.get("/api/v1/links/" + ownerLink).expect(200).json();
      assertThat(listing.path("children").findValuesAsText("name")).containsExactly("sub");
      assertThat(listing.path("item").path("name").asText()).isEqualTo("Docs");

      shareRequest(alice, docs, "bob", "editor", true).expect(200);
      String bobsLink =
          bob.post("/api/v1/files/" + report + "/links", null)
              .expect(201)
              .json()
              .path("token")
              .asText();
      server.get("/api/v1/links/" + bobsLink + "/content").expect(200);
      // Bob's link to the whole folder is one the owner sees and can revoke.
      String bobsFolderLink =
          bob.post("/api/v1/files/" + mountOf(bob) + "/links", null)
              .expect(201)
              .json()
              .path("token")
              .asText();
      assertThat(alice.get("/api/v1/files/" + docs + "/links").expect(200).json()).hasSize(2);
      server.get("/api/v1/links/" + bobsFolderLink).expect(200);
      // Taking the right to share away takes the links made with it.
      shareRequest(alice, docs, "bob", "editor", false).expect(200);
      server.get("/api/v1/links/" + bobsFolderLink).expectProblem(404);
      server.get("/api/v1/links/" + bobsLink + "/content").expectProblem(404);
      shareRequest(alice, docs, "bob", "editor", true).expect(200);
      server.get("/api/v1/links/" + bobsLink + "/content").expect(200);
      alice.delete("/api/v1/files/" + docs + "/share/bob").expect(204);
      server.get("/api/v1/links/" + bobsLink + "/content").expectProblem(404);
      server.get("/api/v1/links/" + ownerLink).expect(200);
    }

    @Test
    void deleting_the_mount_leaves_the_share_and_restoring_it_comes_back() {
      share(alice, docs, "bob", "editor");
      String mount = mountOf(bob);
      bob.delete("/api/v1/files/" + mount).expect(204);
      bob.get("/api/v1/files/" + report + "/metadata").expectProblem(404);
      assertThat(alice.download(report)).isEqualTo("v1".getBytes());
      assertThat(alice.childNames(docs)).containsExactly("sub");

      bob.post("/api/v1/trash/" + mount + "/restore", null).expect(200);
      assertThat(bob.download(report)).isEqualTo("v1".getBytes());
      Feed fresh = feed(bob, null);
      assertThat(fresh.about(report).path("path").asText()).isEqualTo("/Docs/sub/report.txt");
    }

    @Test
    void a_member_may_leave_but_cannot_remove_others() {
      share(alice, docs, "bob", "editor");
      share(alice, docs, "carol", "editor");
      String mount = mountOf(bob);
      bob.delete("/api/v1/files/" + mount + "/share/carol").expectProblem(403, "cannot-share");
      bob.delete("/api/v1/files/" + mount + "/share/alice")
          .expectProblem(400, "cannot-remove-owner");
      bob.delete("/api/v1/files/" + mount + "/share/bob").expect(204);
      assertThat(bob.childNames("root")).isEmpty();
      assertThat(carol.download(report)).isEqualTo("v1".getBytes());
    }

    private HttpRequest get(String url) {
      return HttpRequest.newBuilder(
              server
                  .url()
                  .resolve(
                      url.startsWith("http")
                          ? URI.create(url).getRawPath() + "?" + URI.create(url).getRawQuery()
                          : url))
          .GET()
          .build();
    }
  }

  @Nested
  class A_shared_file {

    private String file;

    @BeforeEach
    void aliceHasAFile() {
      file = id(alice.uploaded("/notes.txt", "n1".getBytes()));
    }

    @Test
    void is_listed_in_shared_with_me_downloaded_and_announced_in_the_feed() {
      Feed before = feed(bob, null);
      share(alice, file, "bob", "viewer");
      JsonNode shared = bob.get("/api/v1/shared-with-me").expect(200).json();
      assertThat(shared).hasSize(1);
      assertThat(shared.get(0).path("kind").asText()).isEqualTo("file");
      assertThat(shared.get(0).path("owner").asText()).isEqualTo("alice");
      assertThat(shared.get(0).path("role").asText()).isEqualTo("viewer");
      assertThat(bob.download(file)).isEqualTo("n1".getBytes());
      assertThat(feed(bob, before.cursor()).ops(file)).containsExactly("share");
      // It is not in Bob's tree.
      assertThat(bob.childNames("root")).isEmpty();
    }

    @Test
    void an_editor_uploads_new_versions_a_viewer_cannot() {
      share(alice, file, "bob", "viewer");
      Map<String, Object> put =
          Map.of(
              "operations",
              List.of(
                  Map.of(
                      "op",
                      "put",
                      "id",
                      file,
                      "data",
                      Base64.getEncoder().encodeToString("n2".getBytes()))));
      JsonNode refused = bob.post("/api/v1/batch", put).expect(200).json();
      assertThat(refused.path("results").get(0).path("status").asInt()).isEqualTo(403);
      share(alice, file, "bob", "editor");
      JsonNode done = bob.post("/api/v1/batch", put).expect(200).json();
      assertThat(done.path("results").get(0).path("status").asInt()).isEqualTo(200);
      assertThat(alice.download(file)).isEqualTo("n2".getBytes());
      // Sharing a file does not let the recipient move or delete it.
      bob.delete("/api/v1/files/" + file).expectProblem(403, "read-only");
      bob.patch("/api/v1/files/" + file, Map.of("name", "mine.txt"))
          .expectProblem(403, "read-only");
      assertThat(alice.lookup("/notes.txt").status()).isEqualTo(200);
    }

    @Test
    void unsharing_ends_access() {
      share(alice, file, "bob", "viewer");
      alice.delete("/api/v1/files/" + file + "/share/bob").expect(204);
      bob.get("/api/v1/files/" + file).expectProblem(404);
      assertThat(bob.get("/api/v1/shared-with-me").expect(200).json()).isEmpty();
    }
  }

  @Test
  void which_chunks_are_missing_never_tells_whether_someone_else_holds_the_content() {
    byte[] privately = "alice's private content.".getBytes();
    byte[] inShare = "alice's shared content..".getBytes();
    byte[] nowhere = "content nobody uploaded.".getBytes();
    alice.uploaded("/private.txt", privately);
    String docs = id(alice.folder("/Docs"));
    alice.uploaded("/Docs/shared.txt", inShare);
    share(alice, docs, "bob", "editor");

    List<String> answers = new ArrayList<>();
    for (byte[] content : List.of(privately, inShare, nowhere)) {
      JsonNode session =
          bob.post(
                  "/api/v1/uploads",
                  Map.of(
                      "path",
                      "/probe-" + answers.size() + ".txt",
                      "chunks",
                      List.of(
                          Map.of(
                              "hash",
                              coffer.core.hash.Sha256.of(content).hex(),
                              "length",
                              content.length))))
              .expect(201)
              .json();
      answers.add(session.path("missing").size() + "/" + session.path("missingBytes").asLong());
    }
    assertThat(answers).containsOnly("1/" + nowhere.length);
  }

  @Test
  void bad_share_requests_are_clear_400s_and_unknown_users_404() {
    String id = id(alice.folder("/x"));
    alice.post("/api/v1/files/" + id + "/share", Map.of()).expectProblem(400, "missing-users");
    shareRequest(alice, id, "bob", "admin").expectProblem(400, "invalid-role");
    alice
        .post(
            "/api/v1/files/" + id + "/share",
            Map.of(
                "users",
                List.of("bob", "carol"),
                "permissions",
                List.of("viewer", "editor", "viewer")))
        .expectProblem(400, "invalid-permissions");
    shareRequest(alice, id, "nobody", "viewer").expectProblem(404, "no-such-user");
    alice
        .post(
            "/api/v1/files/root/share",
            Map.of("users", List.of("bob"), "permissions", List.of("viewer")))
        .expectProblem(400, "cannot-share-root");
  }
}
