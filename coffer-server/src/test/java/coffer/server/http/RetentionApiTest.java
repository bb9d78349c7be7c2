package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.ServerConfig;
import coffer.server.files.Retention;
import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Old versions and old trash go once the retention policy lets them; nothing else does. */
class RetentionApiTest extends FreshServerTest {

  /** Uploads {@code count} versions of /v.txt (contents 1, 2, …) and returns the file's id. */
  static String versions(Account who, int count) {
    String id = null;
    for (int i = 1; i <= count; i++) {
      id =
          who.upload(Map.of("path", "/v.txt", "overwrite", true), new byte[] {(byte) i})
              .expect(201)
              .json()
              .path("id")
              .asText();
    }
    return id;
  }

  @Override
  protected UnaryOperator<ServerConfig> configure() {
    // Everything is "old" at once, so only the count protects versions.
    return c -> c.withRetention(new Retention.Policy(Duration.ZERO, 2, Duration.ZERO));
  }

  @Test
  void old_versions_beyond_the_newest_kept_are_let_go_and_the_current_one_never() {
    String id = versions(alice, 5);
    Retention.Result result = server.server().applyRetention();

    assertThat(result.revisions()).isEqualTo(3);
    JsonNode versions = alice.get("/api/v1/files/" + id + "/versions").expect(200).json();
    assertThat(versions).hasSize(2);
    assertThat(versions.get(0).path("current").asBoolean()).isTrue();
    assertThat(alice.download(id)).containsExactly(5);
  }

  @Test
  void trash_older_than_the_policy_is_purged_and_live_files_stay() {
    String gone = alice.uploaded("/gone.txt", new byte[] {1}).path("id").asText();
    alice.uploaded("/kept.txt", new byte[] {2});
    alice.delete("/api/v1/files/" + gone).expect(204);

    assertThat(server.server().applyRetention().trashItems()).isEqualTo(1);
    assertThat(alice.get("/api/v1/trash").expect(200).json()).isEmpty();
    assertThat(alice.lookup("/kept.txt").status()).isEqualTo(200);
  }
}

class DefaultRetentionApiTest extends FreshServerTest {

  @Test
  void by_default_recent_versions_and_trash_are_all_kept() {
    String id = RetentionApiTest.versions(alice, 3);
    alice
        .delete("/api/v1/files/" + alice.uploaded("/t.txt", new byte[] {1}).path("id").asText())
        .expect(204);
    Retention.Result result = server.server().applyRetention();
    assertThat(result.revisions()).isZero();
    assertThat(result.trashItems()).isZero();
    assertThat(alice.get("/api/v1/files/" + id + "/versions").expect(200).json()).hasSize(3);
  }
}
