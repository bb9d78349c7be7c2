package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.hash.Sha256;
import coffer.server.blob.UrlSigner;
import coffer.server.support.Account;
import coffer.server.support.Bytes;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunked upload protocol over real HTTP: sessions, presigned chunk URLs, commit, GC. */
class UploadApiTest {

  @TempDir Path data;
  private TestServer server;
  private Account alice;

  @BeforeEach
  void start() {
    server =
        TestServer.start(data, c -> c.withGarbageCollection(Duration.ZERO, Duration.ofHours(1)));
    alice = server.newAccount("alice");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Map<String, Object> chunk(byte[] data) {
    return Map.of("hash", Sha256.of(data).hex(), "length", data.length);
  }

  private static JsonNode begin(Account account, String path, List<Map<String, Object>> chunks) {
    return account
        .post("/api/v1/uploads", Map.of("path", path, "chunks", chunks))
        .expect(201)
        .json();
  }

  private Reply put(String url, byte[] body) {
    return server.send(
        server.request("/" + url).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  private Path blobFile(byte[] chunk) {
    String hex = Sha256.of(chunk).hex();
    return data.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex);
  }

  @Nested
  class A_session {
    @Test
    void lists_each_missing_chunk_once_and_commits_after_they_arrive() {
      byte[] a = Bytes.random(300_000, 1);
      byte[] b = Bytes.random(200_000, 2);
      JsonNode session = begin(alice, "/docs/ab.bin", List.of(chunk(a), chunk(b), chunk(a)));
      assertThat(session.path("missing")).hasSize(2);
      assertThat(session.path("missingBytes").asLong()).isEqualTo(500_000);

      put(session.path("missing").get(0).path("url").asText(), a).expect(204);
      put(session.path("missing").get(1).path("url").asText(), b).expect(204);
      JsonNode file =
          alice
              .post("/api/v1/uploads/" + session.path("uploadId").asText() + "/commit", null)
              .expect(201)
              .json();

      assertThat(file.path("size").asLong()).isEqualTo(800_000);
      byte[] expected = new byte[800_000];
      System.arraycopy(a, 0, expected, 0, a.length);
      System.arraycopy(b, 0, expected, a.length, b.length);
      System.arraycopy(a, 0, expected, a.length + b.length, a.length);
      assertThat(alice.download(file.path("id").asText())).isEqualTo(expected);
    }

    @Test
    void asked_again_after_an_interruption_lists_only_what_never_arrived() {
      byte[] a = Bytes.random(100_000, 3);
      byte[] b = Bytes.random(100_000, 4);
      JsonNode first = begin(alice, "/r.bin", List.of(chunk(a), chunk(b)));
      put(first.path("missing").get(0).path("url").asText(), a).expect(204);

      JsonNode again = begin(alice, "/r.bin", List.of(chunk(a), chunk(b)));
      assertThat(again.path("missing")).hasSize(1);
      assertThat(again.path("missing").get(0).path("hash").asText()).isEqualTo(Sha256.of(b).hex());
    }

    @Test
    void survives_a_server_restart() {
      byte[] a = Bytes.random(100_000, 5);
      JsonNode session = begin(alice, "/restart.bin", List.of(chunk(a)));
      put(session.path("missing").get(0).path("url").asText(), a).expect(204);
      server.close();
      server = TestServer.start(data);
      Account again = server.login("alice");
      again
          .post("/api/v1/uploads/" + session.path("uploadId").asText() + "/commit", null)
          .expect(201);
      assertThat(again.lookup("/restart.bin").expect(200).json().path("size").asLong())
          .isEqualTo(100_000);
    }

    @Test
    void for_an_existing_file_without_overwrite_fails_before_any_bytes_are_sent() {
      alice.uploaded("/taken.txt", new byte[] {1});
      alice
          .post("/api/v1/uploads", Map.of("path", "/taken.txt", "chunks", List.of()))
          .expectProblem(409, "file-exists");
    }

    @Test
    void of_another_user_is_not_found() {
      JsonNode session = begin(alice, "/mine.bin", List.of());
      Account bob = server.newAccount("bob");
      bob.post("/api/v1/uploads/" + session.path("uploadId").asText() + "/commit", null)
          .expectProblem(404, "upload-not-found");
    }
  }

  @Nested
  class Presigned_chunk_urls {
    @Test
    void reject_a_tampered_url_with_403_and_store_nothing() {
      byte[] a = Bytes.random(50_000, 6);
      String url =
          begin(alice, "/t.bin", List.of(chunk(a))).path("missing").get(0).path("url").asText();
      put(url.replace("length=50000", "length=50001"), a).expectProblem(403, "invalid-signature");
      put(url.replaceAll("signature=[0-9a-f]", "signature=0"), a).expectProblem(403);
      put(url.replaceAll("user=[^&]+", "user=someone-else"), a).expectProblem(403);
      assertThat(blobFile(a)).doesNotExist();
    }

    @Test
    void reject_an_expired_url_with_403() throws Exception {
      byte[] a = Bytes.random(50_000, 7);
      String user = alice.get("/api/v1/account").expect(200).json().path("id").asText();
      UrlSigner signer =
          new UrlSigner(Files.readAllBytes(data.resolve("secret.key")), Clock.systemUTC());
      String expired =
          signer.sign("PUT", Sha256.of(a), a.length, user, Instant.now().minusSeconds(1));
      put(expired, a).expectProblem(403, "invalid-signature");
      String valid =
          signer.sign("PUT", Sha256.of(a), a.length, user, Instant.now().plusSeconds(60));
      put(valid, a).expect(204);
    }

    @Test
    void reject_a_body_whose_hash_differs_and_store_nothing() {
      byte[] a = Bytes.random(50_000, 8);
      byte[] wrong = Bytes.random(50_000, 9);
      String url =
          begin(alice, "/h.bin", List.of(chunk(a))).path("missing").get(0).path("url").asText();
      put(url, wrong).expectProblem(400, "hash-mismatch");
      assertThat(blobFile(a)).doesNotExist();
      assertThat(blobFile(wrong)).doesNotExist();
    }

    @Test
    void a_get_url_from_the_manifest_serves_the_verified_chunk() {
      byte[] content = Bytes.random(70_000, 10);
      String id = alice.uploaded("/m.bin", content).path("id").asText();
      JsonNode manifest = alice.get("/api/v1/files/" + id + "/manifest").expect(200).json();
      assertThat(manifest.path("chunks")).hasSize(1);
      Reply chunk = server.get("/" + manifest.path("chunks").get(0).path("url").asText());
      assertThat(chunk.expect(200).body()).isEqualTo(content);
    }
  }

  @Nested
  class Dedup_never_reveals_other_users_content {
    @Test
    void another_users_chunks_count_as_missing_and_cannot_be_committed_unsent() {
      byte[] secret = Bytes.random(120_000, 11);
      alice.uploaded("/secret.bin", secret);
      Account mallory = server.newAccount("mallory");

      JsonNode session = begin(mallory, "/stolen.bin", List.of(chunk(secret)));
      assertThat(session.path("missing")).hasSize(1);
      mallory
          .post("/api/v1/uploads/" + session.path("uploadId").asText() + "/commit", null)
          .expectProblem(409, "chunks-missing");
      mallory.lookup("/stolen.bin").expectProblem(404);
    }

    @Test
    void a_second_user_sends_the_bytes_but_storage_holds_them_once() throws Exception {
      byte[] shared = Bytes.random(90_000, 12);
      alice.uploaded("/a.bin", shared);
      long stored = Files.size(blobFile(shared));
      Account bob = server.newAccount("bob");
      JsonNode session = begin(bob, "/b.bin", List.of(chunk(shared)));
      put(session.path("missing").get(0).path("url").asText(), shared).expect(204);
      bob.post("/api/v1/uploads/" + session.path("uploadId").asText() + "/commit", null)
          .expect(201);
      assertThat(Files.size(blobFile(shared))).isEqualTo(stored);
      assertThat(bob.download(bob.lookup("/b.bin").json().path("id").asText())).isEqualTo(shared);
    }
  }

  @Nested
  class Garbage_collection {
    @Test
    void deletes_orphaned_chunks_but_never_those_of_an_upload_in_flight_or_a_file() {
      byte[] kept = Bytes.random(80_000, 13);
      String keptId = alice.uploaded("/kept.bin", kept).path("id").asText();

      byte[] inFlight = Bytes.random(80_000, 14);
      JsonNode session = begin(alice, "/later.bin", List.of(chunk(inFlight)));
      put(session.path("missing").get(0).path("url").asText(), inFlight).expect(204);

      // An upload whose commit fails leaves its chunks behind, referenced by nothing.
      byte[] orphan = Bytes.random(80_000, 15);
      alice.upload(Map.of("path", "/bad/na:me"), orphan).expectProblem(400, "invalid-name");
      assertThat(blobFile(orphan)).exists();

      var result = server.server().collectGarbage();

      assertThat(result.chunksDeleted()).isEqualTo(1);
      assertThat(result.bytesFreed()).isEqualTo(orphan.length);
      assertThat(blobFile(orphan)).doesNotExist();
      assertThat(blobFile(kept)).exists();
      assertThat(blobFile(inFlight)).exists();
      assertThat(alice.download(keptId)).isEqualTo(kept);
      alice
          .post("/api/v1/uploads/" + session.path("uploadId").asText() + "/commit", null)
          .expect(201);
    }
  }
}
