package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import coffer.core.hash.Sha256;
import coffer.server.blob.UrlSigner;
import coffer.server.support.Account;
import coffer.server.support.Bytes;
import coffer.server.support.Multipart;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The attack suite: each test makes one attack on a real server over real HTTP and asserts its safe
 * outcome, exactly (status, problem type, nothing stored, nothing leaked). Attacks already proven
 * elsewhere are listed in {@code docs/SECURITY.md} with the tests that prove them; this class holds
 * the rest.
 *
 * <p>One server for the whole class, with a small upload limit (so limits are reached quickly) and
 * loopback as a trusted proxy (so a test can speak from addresses of its own). Every test works
 * with accounts of its own; the first account, the admin, is never an attacker.
 */
class AttackSuiteTest {

  static final long MAX_UPLOAD = 4 << 20;

  @TempDir static Path tmp;
  static TestServer server;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            tmp, c -> c.withMaxUploadBytes(MAX_UPLOAD).withTrustedProxies(Set.of("127.0.0.1")));
    server.newUniqueAccount("admin");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Nested
  class Path_traversal_and_encoding_tricks_in_names {

    @Test
    void dot_dot_is_refused_in_every_path_and_name_and_nothing_is_made() {
      Account mallory = server.newUniqueAccount("mallory");
      String mine = id(mallory.uploaded("/mine.txt", bytes("m")));

      Map<String, Reply> attempts = new LinkedHashMap<>();
      attempts.put("upload to /../..", mallory.upload("/../../etc/passwd", bytes("x")));
      attempts.put("upload through ..", mallory.upload("/inbox/../../escape.txt", bytes("x")));
      attempts.put(
          "upload named ..", mallory.upload(Map.of("parentId", "root", "name", ".."), bytes("x")));
      attempts.put(
          "multipart file name with ../",
          mallory.upload(new Multipart().file("file", "../../etc/passwd", bytes("x"))));
      attempts.put(
          "multipart file name with ..\\",
          mallory.upload(new Multipart().file("file", "..\\..\\boot.ini", bytes("x"))));
      attempts.put(
          "folder through ..",
          mallory.post("/api/v1/folders", Map.of("path", "/a/../../b", "parents", true)));
      attempts.put(
          "chunked upload through ..",
          mallory.post("/api/v1/uploads", Map.of("path", "/../up.bin", "chunks", List.of())));
      attempts.put(
          "move through ..",
          mallory.patch("/api/v1/files/" + mine, Map.of("path", "/../../moved.txt")));
      attempts.put("rename to ..", mallory.patch("/api/v1/files/" + mine, Map.of("name", "..")));
      attempts.put("lookup through ..", mallory.lookup("/../../etc/passwd"));
      attempts.forEach((what, reply) -> reply.expectProblem(400, "invalid-name"));

      JsonNode batch =
          batch(mallory, Map.of("op", "put", "path", "/../b.txt", "data", base64("x"))).get(0);
      assertThat(batch.path("status").asInt()).isEqualTo(400);
      assertThat(batch.path("problem").path("type").asText()).isEqualTo("/problems/invalid-name");

      assertThat(mallory.childNames("root")).containsExactly("mine.txt");
      assertThat(mallory.lookup("/mine.txt").expect(200).json().path("path").asText())
          .isEqualTo("/mine.txt");
    }

    @Test
    void encoded_and_look_alike_dots_are_plain_names_that_stay_where_they_were_put() {
      Account mallory = server.newUniqueAccount("mallory");
      List<String> tricks =
          List.of(
              "%2e%2e", "%252e%252e", "..%2f..%2fx", "..%5c..%5cx", "\uff0e\uff0e", "\u2024\u2024");

      for (String trick : tricks) {
        JsonNode file = mallory.uploaded("/inbox/" + trick + "/f.txt", bytes(trick));
        assertThat(file.path("path").asText()).isEqualTo("/inbox/" + trick + "/f.txt");
        JsonNode found = mallory.lookup("/inbox/" + trick + "/f.txt").expect(200).json();
        assertThat(mallory.download(id(found))).isEqualTo(bytes(trick));
      }

      assertThat(mallory.childNames("root")).containsExactly("inbox");
      String inbox = id(mallory.lookup("/inbox").expect(200).json());
      assertThat(mallory.childNames(inbox)).containsExactlyInAnyOrderElementsOf(tricks);
    }

    @Test
    void encoded_traversal_in_a_url_never_reaches_a_file_on_disk() throws IOException {
      Account mallory = server.newUniqueAccount("mallory");
      byte[] secret = Files.readAllBytes(tmp.resolve("secret.key"));
      List<String> paths =
          List.of(
              "/ui/..%2F..%2Fsecret.key",
              "/ui/%2e%2e%2f%2e%2e%2fsecret.key",
              "/ui/..%5C..%5Csecret.key",
              "/ui/%252e%252e%252fsecret.key",
              "/%2e%2e/%2e%2e/secret.key",
              "/api/v1/blobs/..%2F..%2Fsecret.key?length=32&user=x&expires=99999999999"
                  + "&signature=00",
              "/api/v1/files/..%2F..%2Fsecret.key",
              "/api/v1/files/%2e%2e/metadata");

      for (String path : paths) {
        Reply reply =
            mallory.send(
                HttpRequest.newBuilder(URI.create(origin() + path))
                    .header("Authorization", "Bearer " + mallory.token())
                    .GET()
                    .build());
        assertThat(reply.status()).as("%s", reply).isBetween(400, 404);
        assertThat(indexOf(reply.body(), secret)).as("%s serves the secret", path).isNegative();
      }
    }
  }

  @Nested
  class Insecure_direct_object_references {

    @Test
    void another_users_ids_are_404_for_files_versions_uploads_links_devices_shares_and_trash() {
      Account alice = server.newUniqueAccount("alice");
      Account carol = server.newUniqueAccount("carol");
      Account mallory = server.newUniqueAccount("mallory");
      JsonNode first = alice.uploaded("/Secret Plans/plan-a.txt", bytes("first draft"));
      String file = id(first);
      String oldRevision = first.path("revision").asText();
      alice
          .upload(
              Map.of("path", "/Secret Plans/plan-a.txt", "overwrite", true), bytes("second draft"))
          .expect(201);
      String folder = id(alice.lookup("/Secret Plans").expect(200).json());
      share(alice, folder, carol.username(), "viewer");
      String upload =
          alice
              .post(
                  "/api/v1/uploads",
                  Map.of("path", "/Secret Plans/plan-b.txt", "chunks", List.of()))
              .expect(201)
              .json()
              .path("uploadId")
              .asText();
      JsonNode link = alice.post("/api/v1/files/" + file + "/links", null).expect(201).json();
      String trashed = id(alice.uploaded("/Secret Plans/old-plan.txt", bytes("gone")));
      alice.delete("/api/v1/files/" + trashed).expect(204);
      String mine = id(mallory.uploaded("/mine.txt", bytes("mallory's")));

      Map<String, Reply> attempts = new LinkedHashMap<>();
      attempts.put("her file's versions", mallory.get("/api/v1/files/" + file + "/versions"));
      attempts.put(
          "her old version", mallory.get("/api/v1/files/" + file + "?revision=" + oldRevision));
      attempts.put(
          "her version read through my file",
          mallory.get("/api/v1/files/" + mine + "?revision=" + oldRevision));
      attempts.put(
          "her version's chunks through my file",
          mallory.get("/api/v1/files/" + mine + "/manifest?revision=" + oldRevision));
      attempts.put(
          "her version restored onto my file",
          mallory.post("/api/v1/files/" + mine + "/versions/" + oldRevision + "/restore", null));
      attempts.put("her manifest", mallory.get("/api/v1/files/" + file + "/manifest"));
      attempts.put("her file's history", mallory.get("/api/v1/files/" + file + "/changes"));
      attempts.put("her upload", mallory.post("/api/v1/uploads/" + upload + "/commit", null));
      attempts.put("her file's links", mallory.get("/api/v1/files/" + file + "/links"));
      attempts.put("her link", mallory.delete("/api/v1/links/" + link.path("id").asText()));
      attempts.put("her device", mallory.delete("/api/v1/auth/devices/" + alice.deviceId()));
      attempts.put("her share", mallory.get("/api/v1/files/" + folder + "/share"));
      attempts.put(
          "her member", mallory.delete("/api/v1/files/" + folder + "/share/" + carol.username()));
      attempts.put(
          "joining her share",
          mallory.post(
              "/api/v1/files/" + folder + "/share",
              Map.of("users", List.of(mallory.username()), "permissions", List.of("editor"))));
      attempts.put(
          "her folder as a link", mallory.post("/api/v1/files/" + folder + "/links", null));
      attempts.put(
          "her trash restored", mallory.post("/api/v1/trash/" + trashed + "/restore", null));
      attempts.put("her trash purged", mallory.delete("/api/v1/trash/" + trashed));

      attempts.forEach(
          (what, reply) -> {
            reply.expectProblem(404);
            assertThat(reply.text())
                .as("%s: %s", what, reply)
                .doesNotContain("Secret Plans")
                .doesNotContain("plan-a")
                .doesNotContain("draft")
                .doesNotContain(alice.username());
          });

      // Everything of Alice's is as it was, and Mallory's own file too.
      alice.get("/api/v1/account").expect(200);
      assertThat(alice.download(file)).isEqualTo(bytes("second draft"));
      assertThat(mallory.download(mine)).isEqualTo(bytes("mallory's"));
      assertThat(alice.get("/api/v1/files/" + file + "/versions").expect(200).json()).hasSize(2);
      server.get(URI.create(link.path("url").asText()).getPath()).expect(200);
      assertThat(alice.get("/api/v1/trash").expect(200).json().findValuesAsText("id"))
          .contains(trashed);
      carol.get("/api/v1/files/" + file + "/metadata").expect(200);
      assertThat(alice.get("/api/v1/files/" + folder + "/share").expect(200).json().path("members"))
          .hasSize(2);
      alice.post("/api/v1/uploads/" + upload + "/commit", null).expect(201);
    }

    @Test
    void another_users_cursor_or_one_forged_for_her_namespace_reads_only_the_callers_changes() {
      Account alice = server.newUniqueAccount("alice");
      Account mallory = server.newUniqueAccount("mallory");
      alice.uploaded("/Diary/monday.txt", bytes("dear diary"));
      String hers = alice.get("/api/v1/changes").expect(200).json().path("cursor").asText();
      // Opaque to clients, but not hard to read: "…|-|namespace=seq," (no snapshot in progress).
      String decoded = new String(Base64.getUrlDecoder().decode(hers), StandardCharsets.UTF_8);
      assertThat(decoded).matches(".*\\|-\\|[^=|,]+=\\d+,");
      String prefix = decoded.substring(0, decoded.lastIndexOf("|-|"));
      String namespace = decoded.substring(decoded.lastIndexOf('|') + 1, decoded.indexOf('='));
      alice.uploaded("/Diary/tuesday.txt", bytes("more"));
      mallory.uploaded("/own.txt", bytes("mine"));

      for (String cursor :
          List.of(
              hers,
              cursor(prefix + "|-|" + namespace + "=0,"),
              cursor(prefix + "|s" + namespace + ":0|" + namespace + "=0,"))) {
        String query = URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        Reply page = mallory.get("/api/v1/changes?cursor=" + query).expect(200);
        assertThat(page.text()).doesNotContain("Diary").doesNotContain("day.txt");
        assertThat(page.json().path("entries").findValuesAsText("path")).contains("/own.txt");
        Reply wait = mallory.get("/api/v1/changes/wait?timeout=0&cursor=" + query).expect(200);
        assertThat(wait.text()).doesNotContain("Diary");
      }
      assertThat(mallory.get("/api/v1/auth/devices").expect(200).text())
          .doesNotContain("Diary")
          .doesNotContain(alice.deviceId());
    }
  }

  @Nested
  class Privilege_escalation_through_sharing {

    @Test
    void a_viewer_cannot_raise_their_own_role_share_onward_or_write() {
      Account alice = server.newUniqueAccount("alice");
      Account carol = server.newUniqueAccount("carol");
      Account dave = server.newUniqueAccount("dave");
      String team = id(alice.folder("/Team"));
      alice.uploaded("/Team/roadmap.txt", bytes("v1"));
      share(alice, team, carol.username(), "viewer");
      String mount = mountOf(carol);

      shareRequest(carol, mount, List.of(carol.username()), "editor", null)
          .expectProblem(403, "cannot-share");
      shareRequest(carol, mount, List.of(dave.username()), "editor", null)
          .expectProblem(403, "cannot-share");
      shareRequest(carol, mount, List.of(dave.username()), "viewer", true)
          .expectProblem(403, "cannot-share");
      carol.post("/api/v1/files/" + mount + "/links", null).expectProblem(403, "cannot-share");
      carol
          .upload(Map.of("parentId", mount, "name", "sneaky.txt"), bytes("x"))
          .expectProblem(403, "read-only");

      JsonNode shares = alice.get("/api/v1/files/" + team + "/share").expect(200).json();
      assertThat(roles(shares))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(alice.username(), "owner", carol.username(), "viewer"));
      assertThat(shares.path("editorsCanShare").asBoolean()).isFalse();
      assertThat(dave.get("/api/v1/shared-with-me").expect(200).json()).isEmpty();
      assertThat(alice.childNames(team)).containsExactly("roadmap.txt");
    }

    @Test
    void an_editor_allowed_to_share_still_cannot_make_an_owner_or_change_the_owner_or_the_rule() {
      Account alice = server.newUniqueAccount("alice");
      Account bob = server.newUniqueAccount("bob");
      Account dave = server.newUniqueAccount("dave");
      String team = id(alice.folder("/Team"));
      shareRequest(alice, team, List.of(bob.username()), "editor", true).expect(200);
      String mount = mountOf(bob);

      shareRequest(bob, mount, List.of(dave.username()), "owner", null)
          .expectProblem(400, "invalid-role");
      shareRequest(bob, mount, List.of(alice.username()), "viewer", null)
          .expectProblem(400, "cannot-change-owner");
      shareRequest(bob, mount, List.of(dave.username()), "viewer", false)
          .expectProblem(403, "cannot-share");
      bob.delete("/api/v1/files/" + mount + "/share/" + alice.username())
          .expectProblem(400, "cannot-remove-owner");
      shareRequest(bob, mount, List.of(bob.username()), "editor", null)
          .expectProblem(400, "share-with-self");
      // What the owner did allow still works, so the refusals above are the rules at work.
      shareRequest(bob, mount, List.of(dave.username()), "viewer", null).expect(200);

      JsonNode shares = alice.get("/api/v1/files/" + team + "/share").expect(200).json();
      assertThat(roles(shares))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  alice.username(), "owner", bob.username(), "editor", dave.username(), "viewer"));
      assertThat(shares.path("owner").asText()).isEqualTo(alice.username());
      assertThat(shares.path("editorsCanShare").asBoolean()).isTrue();
    }

    @Test
    void a_role_lowered_or_ended_between_starting_an_upload_and_committing_it_is_enforced() {
      Account alice = server.newUniqueAccount("alice");
      Account bob = server.newUniqueAccount("bob");
      String team = id(alice.folder("/Team"));
      share(alice, team, bob.username(), "editor");

      String lowered = sentUpload(bob, mountOf(bob), "lowered.bin", Bytes.random(10_000, 301));
      share(alice, team, bob.username(), "viewer");
      bob.post("/api/v1/uploads/" + lowered + "/commit", null).expectProblem(403, "read-only");

      share(alice, team, bob.username(), "editor");
      String ended = sentUpload(bob, mountOf(bob), "ended.bin", Bytes.random(10_000, 302));
      alice.delete("/api/v1/files/" + team + "/share/" + bob.username()).expect(204);
      bob.post("/api/v1/uploads/" + ended + "/commit", null).expectProblem(404);

      assertThat(alice.childNames(team)).isEmpty();
    }
  }

  @Nested
  class Presigned_url_tampering_expiry_and_reuse {

    @Test
    void a_url_for_one_chunk_opens_no_other_and_every_tampered_field_is_403() {
      Account alice = server.newUniqueAccount("alice");
      Account bob = server.newUniqueAccount("bob");
      byte[] a = Bytes.random(40_000, 401);
      byte[] b = Bytes.random(40_000, 402);
      String fileA = id(alice.uploaded("/a.bin", a));
      alice.uploaded("/b.bin", b);
      String url = chunkUrls(alice, fileA).get(0);
      assertThat(fetch(url).expect(200).body()).isEqualTo(a);
      String bobId = bob.get("/api/v1/account").expect(200).json().path("id").asText();

      Map<String, String> tampered = new LinkedHashMap<>();
      tampered.put("another chunk", url.replace(Sha256.of(a).hex(), Sha256.of(b).hex()));
      tampered.put("another length", url.replace("length=40000", "length=39999"));
      tampered.put("another user", url.replaceAll("user=[^&]+", "user=" + bobId));
      tampered.put("a later expiry", shiftExpiry(url, 3600));
      tampered.put("an earlier expiry", shiftExpiry(url, -60));
      tampered.put("no signature", url.replaceAll("&signature=[^&]+", ""));
      tampered.put("an empty signature", url.replaceAll("signature=[^&]+", "signature="));
      tampered.put(
          "the signature in capitals",
          url.replaceAll(
              "signature=[^&]+", "signature=" + signature(url).toUpperCase(Locale.ROOT)));
      tampered.forEach(
          (what, changed) -> {
            Reply reply = fetch(changed).expectProblem(403, "invalid-signature");
            assertThat(indexOf(reply.body(), b)).as(what).isNegative();
          });

      // The method is signed: a GET URL cannot store, a PUT URL cannot read.
      put(url, a).expectProblem(403, "invalid-signature");
      String bobPut =
          begin(bob, "/b-copy.bin", List.of(chunk(b))).path("missing").get(0).path("url").asText();
      assertThat(indexOf(fetch(bobPut).expectProblem(403, "invalid-signature").body(), b))
          .isNegative();
      // A PUT URL for one chunk cannot store another: Bob points his at Alice's chunk A.
      put(bobPut.replace(Sha256.of(b).hex(), Sha256.of(a).hex()), a)
          .expectProblem(403, "invalid-signature");
      JsonNode claim = begin(bob, "/a-copy.bin", List.of(chunk(a)));
      assertThat(claim.path("missing")).hasSize(1);
      commit(bob, claim).expectProblem(409, "chunks-missing");
    }

    @Test
    void an_expired_url_is_403_and_one_handed_out_while_a_share_lasted_dies_with_it()
        throws IOException {
      Account alice = server.newUniqueAccount("alice");
      Account bob = server.newUniqueAccount("bob");
      byte[] content = Bytes.random(20_000, 403);
      String file = id(alice.uploaded("/Shared/data.bin", content));
      String aliceId = alice.get("/api/v1/account").expect(200).json().path("id").asText();
      UrlSigner signer =
          new UrlSigner(Files.readAllBytes(tmp.resolve("secret.key")), Clock.systemUTC());
      Sha256 hash = Sha256.of(content);

      String expired =
          signer.sign("GET", hash, content.length, aliceId, Instant.now().minusSeconds(1));
      fetch(expired).expectProblem(403, "invalid-signature");
      String fresh =
          signer.sign("GET", hash, content.length, aliceId, Instant.now().plusSeconds(60));
      assertThat(fetch(fresh).expect(200).body()).isEqualTo(content);

      String folder = id(alice.lookup("/Shared").expect(200).json());
      share(alice, folder, bob.username(), "viewer");
      String handedOut = chunkUrls(bob, file).get(0);
      assertThat(fetch(handedOut).expect(200).body()).isEqualTo(content);
      alice.delete("/api/v1/files/" + folder + "/share/" + bob.username()).expect(204);
      Reply after = fetch(handedOut).expectProblem(403, "access-ended");
      assertThat(indexOf(after.body(), content)).isNegative();
    }
  }

  @Nested
  class False_content_length_and_unbounded_bodies {

    @Test
    void a_body_longer_than_its_content_length_is_read_only_as_far_as_declared()
        throws IOException {
      Account alice = server.newUniqueAccount("alice");
      Multipart body =
          new Multipart()
              .json("fileMetadata", "{\"path\":\"/longer.bin\"}")
              .file("file", "x.bin", Bytes.random(5_000, 501));
      byte[] bytes = body.stream().readAllBytes();

      Raw reply;
      try (Socket socket = connect()) {
        OutputStream out = socket.getOutputStream();
        out.write(head("POST", "/api/v1/files", alice, body.contentType(), bytes.length - 500));
        out.write(bytes);
        out.flush();
        reply = Raw.read(socket.getInputStream());
      }

      assertThat(reply.status()).as(reply.head()).isEqualTo(400);
      assertThat(reply.text()).contains("/problems/malformed-multipart");
      alice.lookup("/longer.bin").expectProblem(404);
    }

    @Test
    void a_body_that_ends_before_its_content_length_is_refused_at_once_and_stores_nothing()
        throws IOException {
      Account alice = server.newUniqueAccount("alice");
      Multipart body =
          new Multipart()
              .json("fileMetadata", "{\"path\":\"/shorter.bin\"}")
              .file("file", "x.bin", Bytes.random(5_000, 502));
      byte[] bytes = body.stream().readAllBytes();

      Raw reply;
      try (Socket socket = connect()) {
        OutputStream out = socket.getOutputStream();
        out.write(head("POST", "/api/v1/files", alice, body.contentType(), bytes.length));
        // The sender stops inside the file part and closes its side: the rest never comes.
        out.write(bytes, 0, bytes.length - 500);
        out.flush();
        socket.shutdownOutput();
        reply = Raw.read(socket.getInputStream());
      }

      assertThat(reply.status()).as(reply.head()).isEqualTo(400);
      assertThat(reply.text()).contains("/problems/bad-request");
      alice.lookup("/shorter.bin").expectProblem(404);
    }

    @Test
    void an_endless_chunked_upload_is_cut_off_at_the_limit_with_413() throws Exception {
      Account alice = server.newUniqueAccount("alice");
      String boundary = "endless";
      byte[] preamble =
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"fileMetadata\"\r\n\r\n"
                  + "{\"path\":\"/endless.bin\"}\r\n--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e\"\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);

      Raw reply =
          endless(
              "/api/v1/files",
              alice,
              "multipart/form-data; boundary=" + boundary,
              preamble,
              Bytes.random(64 * 1024, 503));

      assertThat(reply.status()).as(reply.head()).isEqualTo(413);
      assertThat(reply.text()).contains("/problems/too-large");
      alice.lookup("/endless.bin").expectProblem(404);
    }

    @Test
    void an_endless_chunked_json_body_to_an_anonymous_endpoint_is_cut_off_with_413()
        throws Exception {
      byte[] filler = new byte[64 * 1024];
      java.util.Arrays.fill(filler, (byte) 'x');

      Raw reply =
          endless(
              "/api/v1/auth/login",
              null,
              "application/json",
              "{\"username\":\"".getBytes(StandardCharsets.US_ASCII),
              filler);

      assertThat(reply.status()).as(reply.head()).isEqualTo(413);
      assertThat(reply.text()).contains("/problems/too-large");
    }

    @Test
    void a_chunk_body_of_another_length_than_signed_is_refused_and_not_stored() {
      Account alice = server.newUniqueAccount("alice");
      byte[] chunk = Bytes.random(30_000, 504);
      byte[] longer = java.util.Arrays.copyOf(chunk, chunk.length + 1_000);
      String url =
          begin(alice, "/c.bin", List.of(chunk(chunk))).path("missing").get(0).path("url").asText();

      put(url, longer).expectProblem(400, "length-mismatch");
      put(url, java.util.Arrays.copyOf(chunk, chunk.length - 1))
          .expectProblem(400, "length-mismatch");
      // Without a Content-Length, as a chunked body: the same refusal.
      server
          .send(
              server
                  .request("/" + url)
                  .PUT(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(longer)))
                  .build())
          .expectProblem(400, "length-mismatch");

      assertThat(begin(alice, "/c.bin", List.of(chunk(chunk))).path("missing")).hasSize(1);
    }
  }

  @Nested
  class Oversized_json_and_chunk_lists {

    @Test
    void oversized_json_is_413_and_deeply_nested_json_is_400_never_a_server_error() {
      Account alice = server.newUniqueAccount("alice");
      String huge = "x".repeat(2 << 20);

      server
          .json("POST", "/api/v1/auth/login", null, "{\"username\":\"" + huge + "\"}")
          .expectProblem(413, "too-large");
      alice
          .post("/api/v1/folders", "{\"path\":\"/big\",\"name\":\"" + huge + "\"}")
          .expectProblem(413, "too-large");
      String deep = "{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"path\":\"/deep\"}";
      alice.post("/api/v1/folders", deep).expectProblem(400, "malformed-json");
      String longNumber = "{\"length\":" + "9".repeat(100_000) + "}";
      alice.post("/api/v1/folders", longNumber).expectProblem(400, "malformed-json");

      assertThat(alice.childNames("root")).isEmpty();
    }

    @Test
    void a_chunk_list_past_the_limit_is_413_and_a_bad_chunk_entry_is_400() {
      Account alice = server.newUniqueAccount("alice");
      byte[] entry =
          ("{\"hash\":\"" + "ab".repeat(32) + "\",\"length\":1048576},")
              .getBytes(StandardCharsets.US_ASCII);
      long entries = ((64L << 20) + (64 << 10)) / entry.length;
      byte[] open = "{\"path\":\"/many.bin\",\"chunks\":[".getBytes(StandardCharsets.US_ASCII);
      byte[] close =
          ("{\"hash\":\"" + "ab".repeat(32) + "\",\"length\":1}]}")
              .getBytes(StandardCharsets.US_ASCII);
      long length = open.length + entries * entry.length + close.length;

      Reply reply =
          alice.send(
              alice
                  .request("/api/v1/uploads")
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.fromPublisher(
                          HttpRequest.BodyPublishers.ofInputStream(
                              () -> repeated(open, entry, entries, close)),
                          length))
                  .build());

      reply.expectProblem(413, "too-large");
      for (Object bad :
          List.of(
              Map.of("hash", "ab".repeat(32), "length", 0),
              Map.of("hash", "ab".repeat(32), "length", -1),
              Map.of("hash", "ab".repeat(32), "length", (4 << 20) + 1),
              Map.of("hash", "not hex", "length", 10),
              Map.of("length", 10))) {
        alice
            .post("/api/v1/uploads", Map.of("path", "/bad.bin", "chunks", List.of(bad)))
            .expectProblem(400);
      }
      assertThat(alice.childNames("root")).isEmpty();
    }

    @Test
    void a_batch_body_past_its_limit_is_413() {
      Account alice = server.newUniqueAccount("alice");
      byte[] open = "{\"operations\":[".getBytes(StandardCharsets.US_ASCII);
      byte[] entry = "{\"op\":\"mkdir\",\"path\":\"/x\"},".getBytes(StandardCharsets.US_ASCII);
      byte[] close = "{\"op\":\"mkdir\",\"path\":\"/y\"}]}".getBytes(StandardCharsets.US_ASCII);
      long entries = (BatchRoutes.MAX_BODY + 1L) / entry.length + 1;
      long length = open.length + entries * entry.length + close.length;

      alice
          .send(
              alice
                  .request("/api/v1/batch")
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.fromPublisher(
                          HttpRequest.BodyPublishers.ofInputStream(
                              () -> repeated(open, entry, entries, close)),
                          length))
                  .build())
          .expectProblem(413, "too-large");
      assertThat(alice.childNames("root")).isEmpty();
    }
  }

  @Nested
  class Decompression_bombs {

    @Test
    void a_compressed_request_body_is_never_inflated() throws IOException {
      Account alice = server.newUniqueAccount("alice");
      byte[] folder = gzip(bytes("{\"path\":\"/inflated\",\"parents\":true}"));
      alice
          .send(
              alice
                  .request("/api/v1/folders")
                  .header("Content-Type", "application/json")
                  .header("Content-Encoding", "gzip")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(folder))
                  .build())
          .expectProblem(400, "malformed-json");

      Multipart upload =
          new Multipart()
              .json("fileMetadata", "{\"path\":\"/inflated.bin\"}")
              .file("file", "x", new byte[8 << 20]);
      byte[] bomb = gzip(upload.stream().readAllBytes());
      assertThat(bomb.length).isLessThan(64 << 10);
      alice
          .send(
              alice
                  .request("/api/v1/files")
                  .header("Content-Type", upload.contentType())
                  .header("Content-Encoding", "gzip")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bomb))
                  .build())
          .expectProblem(400, "malformed-multipart");

      assertThat(alice.childNames("root")).isEmpty();
    }

    @Test
    void a_zip_bomb_is_stored_and_served_as_the_bytes_sent_never_expanded() throws IOException {
      Account alice = server.newUniqueAccount("alice");
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
        zip.setLevel(Deflater.BEST_COMPRESSION);
        for (int i = 0; i < 4; i++) {
          zip.putNextEntry(new ZipEntry("zeros-" + i + ".bin"));
          byte[] zeros = new byte[1 << 20];
          for (int mib = 0; mib < 64; mib++) {
            zip.write(zeros);
          }
          zip.closeEntry();
        }
      }
      byte[] bomb = zipped.toByteArray();
      assertThat(bomb.length).isLessThan(1 << 20);

      JsonNode file = alice.uploaded("/Archive/bomb.zip", bomb);
      assertThat(file.path("size").asLong()).isEqualTo(bomb.length);
      Reply download =
          alice.get("/api/v1/files/" + id(file), "Accept-Encoding", "gzip, deflate").expect(200);
      assertThat(download.body()).isEqualTo(bomb);
      assertThat(download.header("Content-Encoding")).isNull();
      assertThat(download.contentType()).isEqualTo("application/octet-stream");

      String archive = id(alice.lookup("/Archive").expect(200).json());
      Reply folderZip = alice.get("/api/v1/files/" + archive + "/zip").expect(200);
      Map<String, byte[]> entries = new LinkedHashMap<>();
      try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(folderZip.body()))) {
        for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          entries.put(e.getName(), in.readAllBytes());
        }
      }
      assertThat(entries.keySet()).containsExactly("bomb.zip");
      assertThat(entries.get("bomb.zip")).isEqualTo(bomb);
    }

    @Test
    void content_that_compresses_a_thousandfold_comes_back_byte_for_byte_and_no_longer() {
      Account alice = server.newUniqueAccount("alice");
      byte[] zeros = new byte[3 << 20];

      String file = id(alice.uploaded("/zeros.bin", zeros));

      assertThat(alice.download(file)).isEqualTo(zeros);
      JsonNode chunks =
          alice.get("/api/v1/files/" + file + "/manifest").expect(200).json().path("chunks");
      long total = 0;
      for (JsonNode chunk : chunks) {
        byte[] body = fetch(chunk.path("url").asText()).expect(200).body();
        assertThat(body).hasSize(chunk.path("length").asInt());
        assertThat(Sha256.of(body).hex()).isEqualTo(chunk.path("hash").asText());
        total += body.length;
      }
      assertThat(total).isEqualTo(zeros.length);
    }
  }

  @Nested
  class Html_and_svg_are_never_served_inline {

    @Test
    void html_and_svg_are_attachments_that_are_never_sniffed_wherever_they_are_served() {
      Account alice = server.newUniqueAccount("alice");
      byte[] svg =
          bytes(
              "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(document.domain)\">"
                  + "<script>alert(1)</script></svg>");
      byte[] html = bytes("<!doctype html><html><script>alert(document.cookie)</script></html>");
      String svgFile = id(alice.uploaded("/Pages/drawing.svg", svg));
      String htmlFile = id(alice.uploaded("/Pages/page.html", html));
      String pages = id(alice.lookup("/Pages").expect(200).json());
      String fileLink = linkPath(alice, svgFile);
      String folderLink = linkPath(alice, pages);

      Map<String, Reply> served = new LinkedHashMap<>();
      served.put("svg download", alice.get("/api/v1/files/" + svgFile).expect(200));
      served.put("html download", alice.get("/api/v1/files/" + htmlFile).expect(200));
      served.put(
          "html range", alice.get("/api/v1/files/" + htmlFile, "Range", "bytes=0-20").expect(206));
      served.put("svg through a file link", server.get(fileLink + "/content").expect(200));
      served.put(
          "html through a folder link", server.get(folderLink + "/files/" + htmlFile).expect(200));
      served.put("svg chunk url", fetch(chunkUrls(alice, svgFile).get(0)).expect(200));
      served.put("html chunk url", fetch(chunkUrls(alice, htmlFile).get(0)).expect(200));
      served.put("folder zip", alice.get("/api/v1/files/" + pages + "/zip").expect(200));

      served.forEach(
          (what, reply) -> {
            assertThat(reply.header("Content-Disposition")).as(what).startsWith("attachment");
            assertThat(reply.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
            assertThat(reply.contentType())
                .as(what)
                .isIn("application/octet-stream", "application/zip");
          });
    }
  }

  @Nested
  class Line_breaks_in_file_names {

    @Test
    void a_line_break_in_a_name_is_refused_wherever_a_name_enters() {
      Account mallory = server.newUniqueAccount("mallory");
      String mine = id(mallory.uploaded("/mine.txt", bytes("m")));
      String folder = id(mallory.folder("/folder"));

      for (String name :
          List.of(
              "evil\r\nSet-Cookie: session=stolen.txt",
              "evil\nX-Injected: 1.txt",
              "evil\r.txt",
              "evil\u0000.txt")) {
        Map<String, Reply> attempts = new LinkedHashMap<>();
        attempts.put("upload by path", mallory.upload("/" + name, bytes("x")));
        attempts.put(
            "upload by name", mallory.upload(Map.of("parentId", folder, "name", name), bytes("x")));
        attempts.put("folder", mallory.post("/api/v1/folders", Map.of("path", "/" + name)));
        attempts.put("rename", mallory.patch("/api/v1/files/" + mine, Map.of("name", name)));
        attempts.put("move", mallory.patch("/api/v1/files/" + mine, Map.of("path", "/" + name)));
        attempts.put(
            "chunked upload",
            mallory.post("/api/v1/uploads", Map.of("path", "/" + name, "chunks", List.of())));
        attempts.forEach((what, reply) -> reply.expectProblem(400, "invalid-name"));
        JsonNode batch =
            batch(
                    mallory,
                    Map.of("op", "put", "path", "/" + name, "data", base64("x")),
                    Map.of("op", "mkdir", "path", "/" + name))
                .get(0);
        assertThat(batch.path("problem").path("type").asText()).isEqualTo("/problems/invalid-name");
      }

      assertThat(mallory.childNames("root")).containsExactly("folder", "mine.txt");
      assertThat(mallory.childNames(folder)).isEmpty();
    }

    @Test
    void an_allowed_but_odd_name_never_breaks_a_response_header() {
      Account alice = server.newUniqueAccount("alice");
      String name = "report\u2028\u0085; filename=evil.html; x=%0d%0a.txt";
      JsonNode file = alice.uploaded("/Odd/" + name, bytes("odd"));

      List<Reply> downloads =
          List.of(
              alice.get("/api/v1/files/" + id(file)).expect(200),
              server.get(linkPath(alice, id(file)) + "/content").expect(200));

      for (Reply reply : downloads) {
        assertThat(reply.header("Content-Disposition"))
            .isEqualTo(
                "attachment; filename=\"report__; filename=evil.html; x=%0d%0a.txt\";"
                    + " filename*=UTF-8''report%E2%80%A8%C2%85%3B%20filename%3Devil.html%3B%20x%3D%250d%250a.txt");
        // The path as the caller sees it: the whole path, or the part below a link.
        assertThat(reply.header("X-Coffer-Path"))
            .endsWith(URLEncoder.encode("/" + name, StandardCharsets.UTF_8));
        reply
            .headers()
            .map()
            .forEach(
                (header, values) ->
                    values.forEach(
                        value -> assertThat(value).as(header).matches("[\\x20-\\x7e]*")));
        assertThat(reply.headers().map()).doesNotContainKey("x-injected");
      }
    }
  }

  @Nested
  class The_dedup_side_channel_and_forged_manifests {

    @Test
    void
        a_manifest_naming_chunks_the_caller_never_sent_is_refused_alike_whether_or_not_they_exist() {
      Account alice = server.newUniqueAccount("alice");
      Account mallory = server.newUniqueAccount("mallory");
      byte[] secret = Bytes.random(30_000, 601);
      alice.uploaded("/salary.xlsx", secret);
      byte[] nowhere = Bytes.random(30_000, 602);

      List<String> answers = new ArrayList<>();
      for (byte[] probe : List.of(secret, nowhere)) {
        String n = Integer.toString(answers.size());
        JsonNode session = begin(mallory, "/probe-" + n, List.of(chunk(probe)));
        Reply committed = commit(mallory, session).expectProblem(409, "chunks-missing");
        JsonNode batch =
            batch(
                    mallory,
                    Map.of(
                        "op", "put", "path", "/probe-batch-" + n, "chunks", List.of(chunk(probe))))
                .get(0);
        answers.add(
            session.path("missing").size()
                + " "
                + session.path("missingBytes").asLong()
                + " | "
                + committed.detail()
                + " | "
                + batch.path("status").asInt()
                + " "
                + batch.path("problem").path("type").asText()
                + " "
                + batch.path("problem").path("detail").asText());
      }

      assertThat(answers.get(0)).isEqualTo(answers.get(1)).startsWith("1 30000 | ");
      assertThat(mallory.childNames("root")).isEmpty();
    }

    @Test
    void a_manifest_that_misstates_the_length_of_a_chunk_the_caller_holds_is_refused() {
      Account mallory = server.newUniqueAccount("mallory");
      byte[] real = Bytes.random(10_000, 603);
      mallory.uploaded("/real.bin", real);
      Map<String, Object> inflated = Map.of("hash", Sha256.of(real).hex(), "length", 4 << 20);

      JsonNode session = begin(mallory, "/inflated.bin", List.of(inflated));
      assertThat(session.path("missing")).hasSize(1);
      commit(mallory, session).expectProblem(409, "chunks-missing");
      JsonNode batch =
          batch(
                  mallory,
                  Map.of("op", "put", "path", "/inflated-batch.bin", "chunks", List.of(inflated)))
              .get(0);
      assertThat(batch.path("problem").path("type").asText()).isEqualTo("/problems/chunks-missing");

      assertThat(mallory.childNames("root")).containsExactly("real.bin");
    }
  }

  @Nested
  class Guessing_passwords {

    @Test
    void spraying_passwords_over_many_accounts_from_one_address_stops_after_a_hundred_failures() {
      Account victim = server.newUniqueAccount("victim");
      String sprayer = "203.0.113.77";

      for (int i = 0; i < 100; i++) {
        login("nobody-" + i, "Winter2026!", sprayer).expectProblem(401, "invalid-credentials");
      }
      Reply refused = login("nobody-100", "Winter2026!", sprayer);
      refused.expectProblem(429, "too-many-attempts");
      assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 15 * 60L);
      // Even the right password of a real account waits: otherwise the answer would tell.
      login(victim.username(), TestServer.PASSWORD, sprayer)
          .expectProblem(429, "too-many-attempts");
      // Everyone else is not held back by the sprayer.
      login(victim.username(), TestServer.PASSWORD, "198.51.100.77").expect(200);
    }

    private Reply login(String username, String password, String from) {
      return server.send(
          server
              .request("/api/v1/auth/login")
              .header("Content-Type", "application/json")
              .header("X-Forwarded-For", from)
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"username\":\""
                          + username
                          + "\",\"password\":\""
                          + password
                          + "\",\"device\":\"spray\"}"))
              .build());
    }
  }

  @Nested
  class Cross_origin_requests {

    @Test
    void a_websocket_from_another_origin_is_refused_even_with_a_valid_token() {
      Account alice = server.newUniqueAccount("alice");
      URI stream = URI.create(origin().replace("http://", "ws://") + "/api/v1/changes/stream");
      // Shut down, not closed: closing waits for every WebSocket it opened, and a failing
      // assertion may leave one open.
      HttpClient http = HttpClient.newHttpClient();
      try {
        for (String foreign : List.of("https://evil.example", "null", origin() + ".evil.example")) {
          assertThatThrownBy(
                  () ->
                      http.newWebSocketBuilder()
                          .header("Authorization", "Bearer " + alice.token())
                          .header("Origin", foreign)
                          .buildAsync(stream, new WebSocket.Listener() {})
                          .join())
              .as(foreign)
              .isInstanceOf(CompletionException.class)
              .cause()
              .isInstanceOfSatisfying(
                  WebSocketHandshakeException.class,
                  e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        }
        // The server's own page, and clients that are not browsers (no Origin), are let in.
        for (String own : List.of(origin(), "")) {
          WebSocket.Builder builder =
              http.newWebSocketBuilder().header("Authorization", "Bearer " + alice.token());
          if (!own.isEmpty()) {
            builder.header("Origin", own);
          }
          WebSocket ws = builder.buildAsync(stream, new WebSocket.Listener() {}).join();
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
      } finally {
        http.shutdownNow();
      }
    }

    @Test
    void api_answers_grant_no_other_origin_the_right_to_read_them() {
      Account alice = server.newUniqueAccount("alice");
      Reply read = alice.get("/api/v1/account", "Origin", "https://evil.example").expect(200);
      Reply preflight =
          server.send(
              server
                  .request("/api/v1/account")
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://evil.example")
                  .header("Access-Control-Request-Method", "GET")
                  .header("Access-Control-Request-Headers", "authorization")
                  .build());

      for (Reply reply : List.of(read, preflight)) {
        assertThat(reply.headers().map().keySet())
            .as("%s", reply)
            .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-"));
      }
      assertThat(preflight.status()).isEqualTo(401);
    }
  }

  @Nested
  class Tokens_in_urls_and_logs {

    @Test
    void a_token_anywhere_but_the_authorization_header_is_not_accepted() {
      Account alice = server.newUniqueAccount("alice");
      String token = URLEncoder.encode(alice.token(), StandardCharsets.UTF_8);

      server.get("/api/v1/account?access_token=" + token).expectProblem(401);
      server.get("/api/v1/account?token=" + token).expectProblem(401);
      server.get("/api/v1/account", "Cookie", "token=" + alice.token()).expectProblem(401);
      server.get("/api/v1/account", "X-Auth-Token", alice.token()).expectProblem(401);
    }

    @Test
    void no_token_password_or_signature_reaches_the_logs_even_when_a_request_fails()
        throws IOException {
      ListAppender<ILoggingEvent> captured = new ListAppender<>();
      Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      Map<Logger, Level> before = new LinkedHashMap<>();
      for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "coffer", "io.javalin")) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        before.put(logger, logger.getLevel());
        logger.setLevel(name.equals("coffer") ? Level.DEBUG : Level.INFO);
      }
      captured.start();
      root.addAppender(captured);
      List<String> secrets = new ArrayList<>();
      try {
        Account alice = server.newUniqueAccount("alice");
        secrets.add(alice.token());
        secrets.add(TestServer.PASSWORD);
        alice.get("/api/v1/account").expect(200);
        alice.get("/api/v1/files/nothing-here").expectProblem(404);
        String forged = "cft_" + "A1b2C3d4".repeat(5);
        secrets.add(forged);
        server.get("/api/v1/account", "Authorization", "Bearer " + forged).expectProblem(401);
        server
            .get(
                "/api/v1/account?access_token="
                    + URLEncoder.encode(alice.token(), StandardCharsets.UTF_8))
            .expectProblem(401);

        byte[] content = Bytes.random(20_000, 701);
        String file = id(alice.uploaded("/logged.bin", content));
        String password = "link password 4 logs";
        secrets.add(password);
        JsonNode link =
            alice
                .post("/api/v1/files/" + file + "/links", Map.of("password", password))
                .expect(201)
                .json();
        secrets.add(link.path("token").asText());
        String linkPath = URI.create(link.path("url").asText()).getPath();
        server.get(linkPath, "X-Coffer-Link-Password", "wrong guess").expectProblem(401);
        server.get(linkPath + "/content", "X-Coffer-Link-Password", password).expect(200);

        String url = chunkUrls(alice, file).get(0);
        secrets.add(signature(url));
        fetch(url).expect(200);
        fetch(shiftExpiry(url, 60)).expectProblem(403);

        // A failure the server logs as its own: the file's only chunk is gone from the disk.
        deleteBlob(Sha256.of(content));
        server.get(linkPath + "/content", "X-Coffer-Link-Password", password).expectProblem(500);
        alice.get("/api/v1/files/" + file).expectProblem(500);
      } finally {
        root.detachAppender(captured);
        before.forEach(Logger::setLevel);
      }

      List<String> lines = captured.list.stream().map(AttackSuiteTest::describe).toList();
      assertThat(lines)
          .as("the log of that traffic")
          .anyMatch(l -> l.contains("path=/api/v1/links/…/content") && l.contains("status=500"))
          .anyMatch(l -> l.contains("failed") && l.contains("/api/v1/links/"));
      String log = String.join("\n", lines);
      for (String secret : secrets) {
        assertThat(log).as("the log").doesNotContain(secret);
      }
    }
  }

  @Nested
  class Racing_commits {

    @Test
    void two_commits_on_one_parent_revision_end_with_exactly_one_winner() throws Exception {
      Account laptop = server.newUniqueAccount("racer");
      Account phone = server.login(laptop.username());
      JsonNode first = laptop.uploaded("/race.txt", bytes("v0"));
      String file = id(first);
      String base = first.path("revision").asText();
      int rounds = 16;

      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < rounds; round++) {
          boolean batch = round % 2 == 1;
          String parent = base;
          byte[] fromLaptop = bytes("laptop " + round);
          byte[] fromPhone = bytes("phone " + round + " is longer");
          CyclicBarrier together = new CyclicBarrier(2);
          Future<Outcome> a =
              pool.submit(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return commitOn(laptop, batch, file, parent, fromLaptop);
                  });
          Future<Outcome> b =
              pool.submit(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return commitOn(phone, batch, file, parent, fromPhone);
                  });
          List<Outcome> outcomes =
              List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS));

          List<Outcome> won = outcomes.stream().filter(o -> o.status() < 300).toList();
          List<Outcome> lost = outcomes.stream().filter(o -> o.status() >= 300).toList();
          assertThat(won)
              .as("round %s (%s): %s", round, batch ? "batch" : "upload", outcomes)
              .hasSize(1);
          assertThat(lost).as("round %s: %s", round, outcomes).hasSize(1);
          assertThat(lost.get(0).status()).isEqualTo(409);
          assertThat(lost.get(0).problemType()).isEqualTo("/problems/stale-revision");
          base = won.get(0).revision();
          byte[] winner = won.get(0) == outcomes.get(0) ? fromLaptop : fromPhone;
          assertThat(laptop.download(file)).isEqualTo(winner);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(laptop.get("/api/v1/files/" + file + "/versions").expect(200).json())
          .hasSize(rounds + 1);
    }

    @Test
    void commits_that_do_not_conflict_racing_from_two_devices_all_win() throws Exception {
      Account laptop = server.newUniqueAccount("racer");
      Account phone = server.login(laptop.username());
      int rounds = 16;

      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<String> failed = new ArrayList<>();
      try {
        for (int round = 0; round < rounds; round++) {
          boolean batch = round % 2 == 1;
          String name = "/new-" + round;
          CyclicBarrier together = new CyclicBarrier(2);
          Future<Integer> a =
              pool.submit(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return createOn(laptop, batch, name + "-laptop.txt");
                  });
          Future<Integer> b =
              pool.submit(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return createOn(phone, batch, name + "-phone.txt");
                  });
          int fromLaptop = a.get(30, TimeUnit.SECONDS);
          int fromPhone = b.get(30, TimeUnit.SECONDS);
          if (fromLaptop != 201 || fromPhone != 201) {
            failed.add("round " + round + ": " + fromLaptop + "/" + fromPhone);
          }
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(failed).isEmpty();
      assertThat(laptop.childNames("root")).hasSize(2 * rounds);
    }

    /** Creates a new file with its own content; answers the status of that creation. */
    private static int createOn(Account device, boolean batch, String path) {
      if (batch) {
        return AttackSuiteTest.batch(
                device, Map.of("op", "put", "path", path, "data", base64(path)))
            .get(0)
            .path("status")
            .asInt();
      }
      return device.upload(path, bytes(path)).status();
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  /** A commit's outcome, whichever way it was sent. */
  record Outcome(int status, String problemType, String revision) {}

  private static Outcome commitOn(
      Account device, boolean batch, String file, String base, byte[] content) {
    if (batch) {
      JsonNode result =
          AttackSuiteTest.batch(
                  device,
                  Map.of("op", "put", "id", file, "baseRevision", base, "data", base64(content)))
              .get(0);
      return new Outcome(
          result.path("status").asInt(),
          result.path("problem").path("type").asText(null),
          result.path("file").path("revision").asText(null));
    }
    Reply reply = device.upload(Map.of("path", "/race.txt", "baseRevision", base), content);
    return reply.status() < 300
        ? new Outcome(reply.status(), null, reply.json().path("revision").asText())
        : new Outcome(reply.status(), reply.json().path("type").asText(), null);
  }

  private static String id(JsonNode node) {
    return node.path("id").asText();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String base64(String text) {
    return base64(bytes(text));
  }

  private static String base64(byte[] data) {
    return Base64.getEncoder().encodeToString(data);
  }

  private static String origin() {
    return "http://" + server.url().getHost() + ":" + server.url().getPort();
  }

  private static String cursor(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(text));
  }

  /** The results of one batch. */
  private static JsonNode batch(Account who, Object... operations) {
    return who.post("/api/v1/batch", Map.of("operations", List.of(operations)))
        .expect(200)
        .json()
        .path("results");
  }

  private static void share(Account owner, String id, String user, String role) {
    shareRequest(owner, id, List.of(user), role, null).expect(200);
  }

  private static Reply shareRequest(
      Account who, String id, List<String> users, String role, Boolean editorsCanShare) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("users", users);
    body.put("permissions", List.of(role));
    if (editorsCanShare != null) {
      body.put("editorsCanShare", editorsCanShare);
    }
    return who.post("/api/v1/files/" + id + "/share", body);
  }

  private static String mountOf(Account member) {
    JsonNode shared = member.get("/api/v1/shared-with-me").expect(200).json();
    assertThat(shared).hasSize(1);
    return id(shared.get(0));
  }

  private static Map<String, String> roles(JsonNode shares) {
    Map<String, String> roles = new LinkedHashMap<>();
    shares
        .path("members")
        .forEach(m -> roles.put(m.path("user").asText(), m.path("role").asText()));
    return roles;
  }

  private static Map<String, Object> chunk(byte[] data) {
    return Map.of("hash", Sha256.of(data).hex(), "length", data.length);
  }

  private static JsonNode begin(Account who, String path, List<Map<String, Object>> chunks) {
    return who.post("/api/v1/uploads", Map.of("path", path, "chunks", chunks)).expect(201).json();
  }

  private static Reply commit(Account who, JsonNode session) {
    return who.post("/api/v1/uploads/" + session.path("uploadId").asText() + "/commit", null);
  }

  /** Starts an upload of {@code content} into {@code parentId}, sends its chunk, returns its id. */
  private static String sentUpload(Account who, String parentId, String name, byte[] content) {
    JsonNode session =
        who.post(
                "/api/v1/uploads",
                Map.of("parentId", parentId, "name", name, "chunks", List.of(chunk(content))))
            .expect(201)
            .json();
    put(session.path("missing").get(0).path("url").asText(), content).expect(204);
    return session.path("uploadId").asText();
  }

  /** The presigned GET URLs of a file's chunks, as its manifest hands them out. */
  private static List<String> chunkUrls(Account who, String fileId) {
    List<String> urls = new ArrayList<>();
    who.get("/api/v1/files/" + fileId + "/manifest")
        .expect(200)
        .json()
        .path("chunks")
        .forEach(c -> urls.add(c.path("url").asText()));
    return urls;
  }

  /** Follows a presigned URL (relative to the server) without a token. */
  private static Reply fetch(String url) {
    return server.send(server.request("/" + url).GET().build());
  }

  private static Reply put(String url, byte[] body) {
    return server.send(
        server.request("/" + url).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  private static String signature(String url) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("signature=([^&]+)").matcher(url);
    assertThat(m.find()).as(url).isTrue();
    return m.group(1);
  }

  private static String shiftExpiry(String url, long seconds) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("expires=(\\d+)").matcher(url);
    assertThat(m.find()).as(url).isTrue();
    long expires = Long.parseLong(m.group(1)) + seconds;
    return url.substring(0, m.start(1)) + expires + url.substring(m.end(1));
  }

  /** The path (with the token) of a new public link to {@code fileId}. */
  private static String linkPath(Account owner, String fileId) {
    JsonNode link = owner.post("/api/v1/files/" + fileId + "/links", null).expect(201).json();
    return URI.create(link.path("url").asText()).getPath();
  }

  /** Removes a chunk's blob from the data directory, however the store lays it out. */
  private static void deleteBlob(Sha256 hash) throws IOException {
    List<Path> found;
    try (Stream<Path> files = Files.walk(tmp)) {
      found =
          files
              .filter(Files::isRegularFile)
              .filter(f -> f.getFileName().toString().startsWith(hash.hex()))
              .toList();
    }
    assertThat(found).as("the blob of %s", hash).isNotEmpty();
    for (Path file : found) {
      Files.delete(file);
    }
  }

  /** One log event as an operator would read it: the message and every exception under it. */
  private static String describe(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ');
    text.append(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    return text.toString();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  /** {@code open}, then {@code entry} {@code times} times, then {@code close}, streamed. */
  private static InputStream repeated(byte[] open, byte[] entry, long times, byte[] close) {
    InputStream entries =
        new InputStream() {
          long left = times * entry.length;

          @Override
          public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
              return -1;
            }
            int n = (int) Math.min(length, left);
            long at = times * entry.length - left;
            for (int i = 0; i < n; i++) {
              buffer[offset + i] = entry[(int) ((at + i) % entry.length)];
            }
            left -= n;
            return n;
          }
        };
    return new SequenceInputStream(
        new SequenceInputStream(new ByteArrayInputStream(open), entries),
        new ByteArrayInputStream(close));
  }

  // --- raw HTTP, for requests a well-behaved client would never send ----------------------------

  private static Socket connect() throws IOException {
    Socket socket = new Socket(server.url().getHost(), server.url().getPort());
    socket.setSoTimeout(20_000);
    return socket;
  }

  private static byte[] head(
      String method, String path, Account who, String contentType, long contentLength) {
    return (method
            + " "
            + path
            + " HTTP/1.1\r\nHost: test\r\n"
            + (who == null ? "" : "Authorization: Bearer " + who.token() + "\r\n")
            + "Content-Type: "
            + contentType
            + "\r\n"
            + (contentLength < 0
                ? "Transfer-Encoding: chunked\r\n"
                : "Content-Length: " + contentLength + "\r\n")
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * POSTs {@code first}, then {@code block} again and again as a chunked body that never ends, and
   * returns the answer the server gives while the body is still coming.
   */
  private static Raw endless(
      String path, Account who, String contentType, byte[] first, byte[] block) throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(head("POST", path, who, contentType, -1));
      Thread writer =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try {
                      chunk(out, first);
                      while (!Thread.currentThread().isInterrupted()) {
                        chunk(out, block);
                      }
                    } catch (IOException closed) {
                      // The server stopped reading and closed the connection, as it should.
                    }
                  });
      try {
        return Raw.read(socket.getInputStream());
      } finally {
        writer.interrupt();
      }
    }
  }

  private static void chunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** A response read off a raw socket: the status line and headers, and a body of known length. */
  record Raw(int status, String head, byte[] body) {

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    static Raw read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the connection closed before a response: " + head);
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      int length = 0;
      for (String line : text.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).strip());
        }
      }
      return new Raw(Integer.parseInt(text.substring(9, 12)), text, in.readNBytes(length));
    }
  }
}
