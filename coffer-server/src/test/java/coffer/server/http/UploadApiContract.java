package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.hash.Sha256;
import coffer.server.ServerConfig;
import coffer.server.support.Account;
import coffer.server.support.Bytes;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chunked upload protocol over real HTTP, whatever stores the chunks: sessions, presigned chunk
 * URLs, commit, dedup, GC. A backend's test extends this class and says how to start a server on it
 * and how to tell whether a chunk is stored.
 */
abstract class UploadApiContract {

  @TempDir Path data;
  TestServer server;
  Account alice;

  /** Starts a server over {@code data} that keeps its chunks in this backend. */
  abstract TestServer start(Path data, UnaryOperator<ServerConfig> customize);

  /** Whether the backend stores this chunk (under its hash, where reads find it). */
  abstract boolean stored(byte[] chunk);

  /** How many bytes the backend keeps for this chunk. */
  abstract long storedSize(byte[] chunk);

  @BeforeEach
  void startServer() {
    server = start(data, c -> c.withGarbageCollection(Duration.ZERO, Duration.ofHours(1)));
    alice = server.newAccount("alice");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static Map<String, Object> chunk(byte[] data) {
    return Map.of("hash", Sha256.of(data).hex(), "length", data.length);
  }

  static JsonNode begin(Account account, String path, List<Map<String, Object>> chunks) {
    return account
        .post("/api/v1/uploads", Map.of("path", path, "chunks", chunks))
        .expect(201)
        .json();
  }

  static Reply commit(Account account, JsonNode session) {
    return account.post("/api/v1/uploads/" + session.path("uploadId").asText() + "/commit", null);
  }

  /**
   * PUTs a chunk the way a client does: to the transfer's URL (relative to the server, or an object
   * store's), with the headers the transfer asks for.
   */
  Reply send(JsonNode transfer, byte[] body) {
    return send(transfer.path("url").asText(), transfer.path("headers"), body);
  }

  Reply send(String url, JsonNode headers, byte[] body) {
    URI uri = URI.create(url).isAbsolute() ? URI.create(url) : server.url().resolve("/" + url);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            // A store that refuses a request (an expired URL) answers before reading the body and
            // may close the connection; asking first lets the refusal arrive instead of a broken
            // pipe, as a careful client would.
            .expectContinue(true)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.properties().forEach(h -> request.header(h.getKey(), h.getValue().asText()));
    request.header("Content-Type", "application/octet-stream");
    // A fresh client per attempt, and a second attempt after a transport failure: S3Proxy may
    // close a connection after refusing a request, before or instead of its answer. A retry can
    // only change how the refusal arrives, never turn it into an acceptance.
    java.io.IOException failure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try (HttpClient client =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
        HttpResponse<byte[]> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(
            "PUT", uri.getRawPath(), response.statusCode(), response.headers(), response.body());
      } catch (java.io.IOException e) {
        failure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new java.io.UncheckedIOException("PUT " + uri + " failed", failure);
  }

  /** Sends a chunk and expects it to be taken. */
  void sent(JsonNode transfer, byte[] body) {
    assertThat(send(transfer, body).status()).as("status of the chunk PUT").isBetween(200, 204);
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

      sent(session.path("missing").get(0), a);
      sent(session.path("missing").get(1), b);
      JsonNode file = commit(alice, session).expect(201).json();

      assertThat(file.path("size").asLong()).isEqualTo(800_000);
      byte[] expected = new byte[800_000];
      System.arraycopy(a, 0, expected, 0, a.length);
      System.arraycopy(b, 0, expected, a.length, b.length);
      System.arraycopy(a, 0, expected, a.length + b.length, a.length);
      assertThat(alice.download(file.path("id").asText())).isEqualTo(expected);
      assertThat(stored(a)).isTrue();
      assertThat(stored(b)).isTrue();
    }

    @Test
    void a_failed_commit_keeps_what_arrived_and_asking_again_lists_only_the_rest() {
      byte[] a = Bytes.random(100_000, 3);
      byte[] b = Bytes.random(100_000, 4);
      JsonNode first = begin(alice, "/r.bin", List.of(chunk(a), chunk(b)));
      sent(first.path("missing").get(0), a);
      commit(alice, first).expectProblem(409, "chunks-missing");

      JsonNode again = begin(alice, "/r.bin", List.of(chunk(a), chunk(b)));
      assertThat(again.path("missing")).hasSize(1);
      assertThat(again.path("missing").get(0).path("hash").asText()).isEqualTo(Sha256.of(b).hex());
      sent(again.path("missing").get(0), b);
      commit(alice, again).expect(201);
    }

    @Test
    void survives_a_server_restart() {
      byte[] a = Bytes.random(100_000, 5);
      JsonNode session = begin(alice, "/restart.bin", List.of(chunk(a)));
      sent(session.path("missing").get(0), a);
      server.close();
      server = start(data, UnaryOperator.identity());
      Account again = server.login("alice");
      commit(again, session).expect(201);
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
      commit(bob, session).expectProblem(404, "upload-not-found");
    }

    @Test
    void a_get_url_from_the_manifest_serves_the_verified_chunk() {
      byte[] content = Bytes.random(70_000, 10);
      String id = alice.uploaded("/m.bin", content).path("id").asText();
      JsonNode manifest = alice.get("/api/v1/files/" + id + "/manifest").expect(200).json();
      assertThat(manifest.path("chunks")).hasSize(1);
      String url = manifest.path("chunks").get(0).path("url").asText();
      URI uri = URI.create(url).isAbsolute() ? URI.create(url) : server.url().resolve("/" + url);
      Reply chunk = server.send(HttpRequest.newBuilder(uri).GET().build());
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
      commit(mallory, session).expectProblem(409, "chunks-missing");
      mallory.lookup("/stolen.bin").expectProblem(404);
    }

    @Test
    void a_second_user_sends_the_bytes_but_storage_holds_them_once() {
      byte[] shared = Bytes.random(90_000, 12);
      alice.uploaded("/a.bin", shared);
      long stored = storedSize(shared);
      Account bob = server.newAccount("bob");
      JsonNode session = begin(bob, "/b.bin", List.of(chunk(shared)));
      sent(session.path("missing").get(0), shared);
      commit(bob, session).expect(201);
      assertThat(storedSize(shared)).isEqualTo(stored);
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
      sent(session.path("missing").get(0), inFlight);

      // An upload whose commit fails leaves its chunks behind, referenced by nothing.
      byte[] orphan = Bytes.random(80_000, 15);
      alice.upload(Map.of("path", "/bad/na:me"), orphan).expectProblem(400, "invalid-name");
      assertThat(stored(orphan)).isTrue();

      var result = server.server().collectGarbage();

      assertThat(result.chunksDeleted()).isEqualTo(1);
      // What the blob occupied: its length, plus a sealed blob's header and tag when encrypted.
      assertThat(result.bytesFreed()).isBetween((long) orphan.length, orphan.length + 64L);
      assertThat(stored(orphan)).isFalse();
      assertThat(stored(kept)).isTrue();
      assertThat(alice.download(keptId)).isEqualTo(kept);
      String laterId = commit(alice, session).expect(201).json().path("id").asText();
      assertThat(alice.download(laterId)).isEqualTo(inFlight);
    }
  }
}
