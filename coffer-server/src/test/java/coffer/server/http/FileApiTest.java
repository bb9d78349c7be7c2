package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.Bytes;
import coffer.server.support.Multipart;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileApiTest {

  static final int TEN_MIB = 10 * Bytes.MIB;

  @TempDir static Path tmp;
  static TestServer server;
  Account alice;

  @BeforeAll
  static void start() {
    server = TestServer.start(tmp.resolve("server"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void signIn() {
    alice = server.newUniqueAccount("alice");
  }

  /** Uploads by streaming, so the request body is never one big array on the client. */
  static JsonNode uploadStreaming(Account account, String path, byte[] content) {
    return account
        .upload(path, () -> new ByteArrayInputStream(content), content.length)
        .expect(201)
        .json();
  }

  @Nested
  class UploadAndDownload {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, TEN_MIB})
    void the_download_has_exactly_the_uploaded_bytes(int size) {
      byte[] content = Bytes.random(size, size);

      JsonNode file = uploadStreaming(alice, "/data/" + size + ".bin", content);

      byte[] downloaded = alice.download(file.path("id").asText());
      assertThat(downloaded.length).isEqualTo(size);
      assertThat(Arrays.equals(downloaded, content)).as("identical bytes").isTrue();
    }

    @Test
    void the_upload_answers_with_the_files_metadata() {
      JsonNode file = alice.uploaded("/docs/report.txt", bytes("quarterly numbers"));

      assertThat(file.path("id").asText()).isNotBlank();
      assertThat(file.path("kind").asText()).isEqualTo("file");
      assertThat(file.path("name").asText()).isEqualTo("report.txt");
      assertThat(file.path("path").asText()).isEqualTo("/docs/report.txt");
      assertThat(file.path("size").asLong()).isEqualTo(17);
      assertThat(file.path("contentHash").asText()).matches("[0-9a-f]{64}");
      assertThat(file.path("revision").asText()).isNotBlank();
      assertThat(file.path("parentId").asText()).isNotBlank();
    }

    @Test
    void equal_content_has_an_equal_content_hash_and_different_content_does_not() {
      String a = alice.uploaded("/a.txt", bytes("same")).path("contentHash").asText();
      String b = alice.uploaded("/b.txt", bytes("same")).path("contentHash").asText();
      String c = alice.uploaded("/c.txt", bytes("different")).path("contentHash").asText();

      assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void a_download_is_an_attachment_that_is_never_sniffed_and_has_an_exact_length() {
      byte[] content = bytes("<html><script>alert(1)</script></html>");
      JsonNode file = alice.uploaded("/page.html", content);

      Reply reply = alice.get("/api/v1/files/" + file.path("id").asText()).expect(200);

      assertThat(reply.header("Content-Disposition")).startsWith("attachment");
      assertThat(reply.header("Content-Disposition")).contains("page.html");
      assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(reply.header("Content-Length")).isEqualTo(Long.toString(content.length));
      assertThat(reply.contentType()).startsWith("application/octet-stream");
      assertThat(reply.header("X-Coffer-Content-Hash"))
          .isEqualTo(file.path("contentHash").asText());
      assertThat(reply.body()).isEqualTo(content);
    }

    @Test
    void a_file_with_a_non_ascii_name_downloads_with_an_encoded_disposition() {
      JsonNode file = alice.uploaded("/Grüße & Co.txt", bytes("hallo"));

      Reply reply = alice.get("/api/v1/files/" + file.path("id").asText()).expect(200);

      assertThat(reply.header("Content-Disposition"))
          .startsWith("attachment")
          .contains("filename=\"Gr__e & Co.txt\"")
          .contains("filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%26%20Co.txt");
    }

    @Test
    void times_are_iso_8601_and_absent_values_are_left_out() {
      Instant before = Instant.now().minusSeconds(5);
      JsonNode file = alice.uploaded("/t.txt", bytes("time"));
      JsonNode folder = alice.get("/api/v1/files/root/metadata").expect(200).json();

      for (String field : new String[] {"created", "modified"}) {
        assertThat(file.path(field).isTextual()).as(field + " in " + file).isTrue();
        assertThat(Instant.parse(file.path(field).asText())).isAfter(before);
      }
      assertThat(folder.has("contentHash")).as("root folder " + folder).isFalse();
      assertThat(folder.has("revision")).as("root folder " + folder).isFalse();
      assertThat(folder.has("parentId")).as("root folder " + folder).isFalse();
      JsonNode device = alice.get("/api/v1/auth/devices").expect(200).json().get(0);
      assertThat(Instant.parse(device.path("createdAt").asText())).isAfter(before);
    }

    @Test
    void the_metadata_endpoint_returns_json() {
      JsonNode file = alice.uploaded("/notes/todo.txt", bytes("milk"));
      String id = file.path("id").asText();

      Reply reply = alice.get("/api/v1/files/" + id + "/metadata").expect(200);

      assertThat(reply.contentType()).startsWith("application/json");
      JsonNode metadata = reply.json();
      assertThat(metadata.path("id").asText()).isEqualTo(id);
      assertThat(metadata.path("kind").asText()).isEqualTo("file");
      assertThat(metadata.path("path").asText()).isEqualTo("/notes/todo.txt");
      assertThat(metadata.path("size").asLong()).isEqualTo(4);
      assertThat(metadata.path("contentHash").asText())
          .isEqualTo(file.path("contentHash").asText());
    }

    @Test
    void the_content_hash_is_sha256_over_the_chunk_hashes() throws Exception {
      // One chunk for small files: the content hash is SHA-256(SHA-256(content)).
      byte[] content = bytes("one chunk");
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String expected = HexFormat.of().formatHex(sha.digest(sha.digest(content)));

      assertThat(alice.uploaded("/one.txt", content).path("contentHash").asText())
          .isEqualTo(expected);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Ranges {

    Account owner;
    byte[] content;
    String id;

    @BeforeAll
    void uploadBigFile() {
      owner = server.newUniqueAccount("ranges");
      content = Bytes.random(TEN_MIB, 42);
      id = uploadStreaming(owner, "/big.bin", content).path("id").asText();
    }

    @Test
    void a_range_returns_206_with_exactly_those_bytes() {
      Reply reply = owner.get("/api/v1/files/" + id, "Range", "bytes=100-199").expect(206);

      assertThat(reply.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));
      assertThat(reply.header("Content-Range")).isEqualTo("bytes 100-199/" + TEN_MIB);
      assertThat(reply.header("Content-Length")).isEqualTo("100");
    }

    @Test
    void a_range_spanning_several_chunks_returns_exactly_those_bytes() {
      Reply reply = owner.get("/api/v1/files/" + id, "Range", "bytes=1000000-9000000").expect(206);

      assertThat(Arrays.equals(reply.body(), Arrays.copyOfRange(content, 1_000_000, 9_000_001)))
          .as("identical bytes")
          .isTrue();
    }

    @Test
    void an_open_ended_range_and_a_suffix_range_return_the_tail() {
      byte[] tail = Arrays.copyOfRange(content, TEN_MIB - 10, TEN_MIB);

      assertThat(
              owner
                  .get("/api/v1/files/" + id, "Range", "bytes=" + (TEN_MIB - 10) + "-")
                  .expect(206)
                  .body())
          .isEqualTo(tail);
      assertThat(owner.get("/api/v1/files/" + id, "Range", "bytes=-10").expect(206).body())
          .isEqualTo(tail);
    }

    @Test
    void a_range_past_the_end_is_416() {
      Reply reply =
          owner.get("/api/v1/files/" + id, "Range", "bytes=" + TEN_MIB + "-").expectProblem(416);

      assertThat(reply.header("Content-Range")).isEqualTo("bytes */" + TEN_MIB);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=abc", "bytes=0-1,5-6", "items=0-1", "bytes=-", "bytes=5-2"})
    void an_unusable_range_header_gets_the_whole_file(String range) {
      Reply reply = owner.get("/api/v1/files/" + id, "Range", range).expect(200);

      assertThat(reply.body().length).isEqualTo(TEN_MIB);
    }
  }

  @Nested
  class Deleting {

    @Test
    void a_deleted_file_is_gone() {
      String id = alice.uploaded("/gone.txt", bytes("bye")).path("id").asText();

      alice.delete("/api/v1/files/" + id).expect(204);

      alice.get("/api/v1/files/" + id).expectProblem(404, "not-found");
      alice.get("/api/v1/files/" + id + "/metadata").expectProblem(404, "not-found");
      alice.lookup("/gone.txt").expectProblem(404);
      alice.delete("/api/v1/files/" + id).expectProblem(404);
    }

    @Test
    void a_deleted_files_path_can_be_used_again() {
      String old = alice.uploaded("/again.txt", bytes("one")).path("id").asText();
      alice.delete("/api/v1/files/" + old).expect(204);

      String fresh = alice.uploaded("/again.txt", bytes("two")).path("id").asText();

      assertThat(fresh).isNotEqualTo(old);
      assertThat(alice.download(fresh)).isEqualTo(bytes("two"));
    }

    @Test
    void the_root_cannot_be_deleted() {
      alice.delete("/api/v1/files/root").expectProblem(400, "root-immutable");
    }
  }

  @Nested
  class Revisions {

    String id;
    String firstRevision;

    @BeforeEach
    void uploadFirstRevision() {
      JsonNode file = alice.uploaded("/doc.txt", bytes("version one"));
      id = file.path("id").asText();
      firstRevision = file.path("revision").asText();
    }

    @Test
    void uploading_to_an_existing_path_without_overwrite_is_409_file_exists() {
      alice.upload("/doc.txt", bytes("version two")).expectProblem(409, "file-exists");

      assertThat(alice.download(id)).isEqualTo(bytes("version one"));
    }

    @Test
    void a_path_differing_only_in_case_is_the_same_file() {
      alice.upload("/DOC.txt", bytes("version two")).expectProblem(409, "file-exists");
    }

    @Test
    void overwrite_makes_a_new_revision_whose_content_is_served() {
      JsonNode second =
          alice
              .upload(Map.of("path", "/doc.txt", "overwrite", true), bytes("version two!"))
              .expect(201)
              .json();

      assertThat(second.path("id").asText()).isEqualTo(id);
      assertThat(second.path("revision").asText()).isNotEqualTo(firstRevision);
      assertThat(second.path("size").asLong()).isEqualTo(12);
      assertThat(alice.download(id)).isEqualTo(bytes("version two!"));
      Reply download = alice.get("/api/v1/files/" + id).expect(200);
      assertThat(download.header("Content-Length")).isEqualTo("12");
      assertThat(download.header("X-Coffer-Revision")).isEqualTo(second.path("revision").asText());
    }

    @Test
    void the_current_base_revision_replaces_without_the_overwrite_flag() {
      alice
          .upload(Map.of("path", "/doc.txt", "baseRevision", firstRevision), bytes("version two"))
          .expect(201);

      assertThat(alice.download(id)).isEqualTo(bytes("version two"));
    }

    @Test
    void a_stale_base_revision_is_409_stale_revision() {
      alice.upload(Map.of("path", "/doc.txt", "overwrite", true), bytes("version two")).expect(201);

      alice
          .upload(
              Map.of("path", "/doc.txt", "baseRevision", firstRevision, "overwrite", true),
              bytes("version three"))
          .expectProblem(409, "stale-revision");

      assertThat(alice.download(id)).isEqualTo(bytes("version two"));
    }

    @Test
    void a_base_revision_for_a_path_with_no_file_is_409_stale_revision() {
      alice
          .upload(Map.of("path", "/elsewhere.txt", "baseRevision", firstRevision), bytes("x"))
          .expectProblem(409, "stale-revision");

      alice.lookup("/elsewhere.txt").expectProblem(404);
    }

    @Test
    void a_file_cannot_replace_a_folder() {
      alice.folder("/dir");

      alice
          .upload(Map.of("path", "/dir", "overwrite", true), bytes("x"))
          .expectProblem(409, "is-a-folder");
    }
  }

  @Nested
  class MalformedUploads {

    @Test
    void a_post_that_is_not_multipart_is_415() {
      alice.post("/api/v1/files", Map.of("path", "/x.txt")).expectProblem(415);
      alice
          .send(
              alice
                  .request("/api/v1/files")
                  .header("Content-Type", "application/octet-stream")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bytes("raw")))
                  .build())
          .expectProblem(415);
      alice
          .send(
              alice
                  .request("/api/v1/files")
                  .header("Content-Type", "multipart/form-data")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bytes("no boundary")))
                  .build())
          .expectProblem(415);
    }

    @Test
    void an_upload_without_a_file_part_is_400() {
      alice
          .upload(new Multipart().json("fileMetadata", "{\"path\":\"/x.txt\"}"))
          .expectProblem(400, "missing-file");

      alice.lookup("/x.txt").expectProblem(404);
    }

    @Test
    void an_upload_with_two_file_parts_is_400() {
      alice
          .upload(
              new Multipart()
                  .json("fileMetadata", "{\"path\":\"/x.txt\"}")
                  .file("file", "a", bytes("a"))
                  .file("file", "b", bytes("b")))
          .expectProblem(400, "too-many-files");
    }

    @Test
    void an_upload_without_metadata_is_named_after_its_filename() {
      JsonNode file =
          alice.upload(new Multipart().file("file", "photo.jpg", bytes("jpeg"))).expect(201).json();

      assertThat(file.path("path").asText()).isEqualTo("/photo.jpg");
    }

    @Test
    void an_upload_with_neither_metadata_nor_filename_is_400() {
      alice.upload(new Multipart().file("file", null, bytes("x"))).expectProblem(400);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"{not json", "[]", "{\"overwrite\":\"perhaps\"}", "{}", "{\"path\":\"/\"}"})
    void malformed_file_metadata_is_400(String metadata) {
      alice
          .upload(new Multipart().json("fileMetadata", metadata).file("file", "x", bytes("x")))
          .expectProblem(400);
    }

    @Test
    void a_body_that_ends_before_its_closing_boundary_is_400() {
      alice
          .upload(
              new Multipart()
                  .json("fileMetadata", "{\"path\":\"/cut.txt\"}")
                  .file("file", "cut.txt", bytes("cut short"))
                  .unterminated())
          .expectProblem(400, "malformed-multipart");

      alice.lookup("/cut.txt").expectProblem(404);
    }

    @Test
    void a_body_that_is_not_multipart_at_all_is_400() {
      alice
          .send(
              alice
                  .request("/api/v1/files")
                  .header("Content-Type", "multipart/form-data; boundary=xyz")
                  .POST(HttpRequest.BodyPublishers.ofString("just some text"))
                  .build())
          .expectProblem(400, "malformed-multipart");
    }

    @Test
    void an_upload_over_the_size_limit_is_413() {
      try (TestServer small =
          TestServer.start(tmp.resolve("small"), c -> c.withMaxUploadBytes(64 * 1024))) {
        Account bob = small.newAccount("bob");

        bob.upload("/big.bin", Bytes.random(128 * 1024, 1)).expectProblem(413);

        bob.lookup("/big.bin").expectProblem(404);
      }
    }

    @Test
    void a_folder_has_no_content_to_download() {
      alice.get("/api/v1/files/root").expectProblem(409, "is-a-folder");
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
