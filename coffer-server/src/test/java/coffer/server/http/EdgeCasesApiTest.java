package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.FreshServerTest;
import coffer.server.support.Multipart;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small promises that are easy to break: consistent times, lenient paths, early conflicts. */
class EdgeCasesApiTest extends FreshServerTest {

  @Test
  void the_times_a_write_returns_are_the_times_a_later_read_returns() {
    JsonNode written = alice.uploaded("/t.txt", new byte[] {1, 2});
    JsonNode read = alice.get("/api/v1/files/" + written.path("id").asText() + "/metadata").json();
    assertThat(read.path("created").asText()).isEqualTo(written.path("created").asText());
    assertThat(read.path("modified").asText()).isEqualTo(written.path("modified").asText());
  }

  @Test
  void public_endpoints_accept_a_trailing_slash() {
    server
        .json(
            "POST",
            "/api/v1/auth/login/",
            null,
            Map.of("username", "alice", "password", TestServer.PASSWORD))
        .expect(200);
  }

  @Test
  void an_upload_without_metadata_lands_in_the_root_under_its_own_name_never_in_a_subfolder() {
    alice
        .upload(new Multipart().file("file", "a/b.txt", new byte[] {7}))
        .expectProblem(400, "invalid-name");
    JsonNode file =
        alice.upload(new Multipart().file("file", "plain.txt", new byte[] {7})).expect(201).json();
    assertThat(file.path("path").asText()).isEqualTo("/plain.txt");
  }

  @Test
  void a_chunked_upload_with_a_base_revision_of_a_file_that_is_gone_fails_before_any_bytes() {
    alice
        .post(
            "/api/v1/uploads",
            Map.of("path", "/gone.txt", "baseRevision", "r1", "chunks", List.of()))
        .expectProblem(409, "stale-revision");
  }

  @Test
  void creating_a_folder_without_a_place_says_what_is_missing() {
    alice.post("/api/v1/folders", Map.of("name", "x")).expectProblem(400, "missing-target");
  }

  @Test
  void nonsense_ranges_are_ignored_and_the_whole_file_is_sent() {
    String id = alice.uploaded("/r.bin", new byte[] {1, 2, 3}).path("id").asText();
    assertThat(alice.get("/api/v1/files/" + id, "Range", "bytes=--5").expect(200).body())
        .hasSize(3);
    assertThat(alice.get("/api/v1/files/" + id, "Range", "bytes=-9223372036854775808").status())
        .isLessThan(500);
  }

  @Test
  void uploading_the_same_content_again_makes_no_new_version_and_no_change() {
    JsonNode first = alice.uploaded("/same.txt", new byte[] {4, 2});
    String cursor = alice.get("/api/v1/changes").expect(200).json().path("cursor").asText();
    JsonNode again =
        alice
            .upload(Map.of("path", "/same.txt", "overwrite", true), new byte[] {4, 2})
            .expect(201)
            .json();
    assertThat(again.path("revision").asText()).isEqualTo(first.path("revision").asText());
    assertThat(alice.get("/api/v1/changes?cursor=" + cursor).expect(200).json().path("entries"))
        .isEmpty();
    JsonNode changed =
        alice
            .upload(Map.of("path", "/same.txt", "overwrite", true), new byte[] {4, 3})
            .expect(201)
            .json();
    assertThat(changed.path("revision").asText()).isNotEqualTo(first.path("revision").asText());
  }
}
