package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Version history over HTTP: list, download an old version, restore it. */
class VersionsApiTest extends FreshServerTest {

  private JsonNode put(byte[] content) {
    return alice.upload(Map.of("path", "/v.txt", "overwrite", true), content).expect(201).json();
  }

  @Test
  void every_version_is_listed_newest_first_and_can_be_downloaded() {
    String first = put(new byte[] {1}).path("revision").asText();
    String second = put(new byte[] {2}).path("revision").asText();
    String id = put(new byte[] {3}).path("id").asText();

    JsonNode versions = alice.get("/api/v1/files/" + id + "/versions").expect(200).json();
    assertThat(versions).hasSize(3);
    assertThat(versions.get(0).path("current").asBoolean()).isTrue();
    assertThat(versions.get(1).path("revision").asText()).isEqualTo(second);
    assertThat(versions.get(2).path("revision").asText()).isEqualTo(first);
    assertThat(versions.get(2).path("current").asBoolean()).isFalse();

    assertThat(alice.get("/api/v1/files/" + id + "?revision=" + first).expect(200).body())
        .containsExactly(1);
  }

  @Test
  void an_old_version_of_another_size_is_served_whole_with_its_own_headers() {
    byte[] small = new byte[] {7, 7, 7};
    byte[] large = new byte[70_000];
    java.util.Arrays.fill(large, (byte) 5);
    String first = put(small).path("revision").asText();
    String id = put(large).path("id").asText();
    var reply = alice.get("/api/v1/files/" + id + "?revision=" + first).expect(200);
    assertThat(reply.body()).isEqualTo(small);
    assertThat(reply.header("Content-Length")).isEqualTo("3");
    assertThat(reply.header("X-Coffer-Revision")).isEqualTo(first);
    assertThat(alice.download(id)).isEqualTo(large);
  }

  @Test
  void restoring_an_old_version_makes_a_new_current_one_and_keeps_the_history() {
    String first = put(new byte[] {1}).path("revision").asText();
    String id = put(new byte[] {2}).path("id").asText();

    JsonNode restored =
        alice
            .post("/api/v1/files/" + id + "/versions/" + first + "/restore", null)
            .expect(201)
            .json();
    assertThat(restored.path("revision").asText()).isNotEqualTo(first);
    assertThat(alice.download(id)).containsExactly(1);
    assertThat(alice.get("/api/v1/files/" + id + "/versions").expect(200).json()).hasSize(3);
  }

  @Test
  void a_version_of_another_file_or_another_user_is_not_found() {
    String other = alice.uploaded("/other.txt", new byte[] {9}).path("revision").asText();
    String id = put(new byte[] {1}).path("id").asText();
    alice.get("/api/v1/files/" + id + "?revision=" + other).expectProblem(404, "version-not-found");
    alice
        .post("/api/v1/files/" + id + "/versions/" + other + "/restore", null)
        .expectProblem(404, "version-not-found");
    Account bob = server.newAccount("bob");
    bob.get("/api/v1/files/" + id + "/versions").expectProblem(404);
  }

  @Test
  void a_folder_has_no_versions() {
    String id = alice.folder("/f").path("id").asText();
    alice.get("/api/v1/files/" + id + "/versions").expectProblem(409, "is-a-folder");
  }
}
