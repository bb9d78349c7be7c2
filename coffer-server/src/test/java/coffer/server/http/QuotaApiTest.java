package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.hash.Sha256;
import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import coffer.server.support.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Storage quotas: set by an admin, checked before bytes are accepted and again at commit. */
class QuotaApiTest extends FreshServerTest {

  private Account bob;

  @BeforeEach
  void bobHasAQuota() {
    bob = server.newAccount("bob");
    JsonNode set =
        server
            .json(
                "PUT",
                "/api/v1/admin/users/bob/quota",
                alice.token(),
                Map.of("quotaBytes", 1_000_000))
            .expect(200)
            .json();
    assertThat(set.path("quotaBytes").asLong()).isEqualTo(1_000_000);
    assertThat(set.path("usedBytes").asLong()).isZero();
  }

  @Test
  void an_upload_past_the_quota_is_refused_before_its_bytes_are_sent_and_nothing_is_stored() {
    bob.uploaded("/first.bin", bytes(600_000, 1));

    byte[] second = bytes(600_000, 2);
    Reply begin =
        bob.post(
            "/api/v1/uploads",
            Map.of(
                "path",
                "/second.bin",
                "chunks",
                List.of(Map.of("hash", Sha256.of(second).hex(), "length", second.length))));
    begin.expectProblem(507, "quota-exceeded");
    assertThat(begin.detail()).contains("quota");

    bob.upload("/second.bin", second).expectProblem(507, "quota-exceeded");
    bob.lookup("/second.bin").expectProblem(404);
    // A new folder on the way does not get round it.
    bob.upload("/new/folder/second.bin", second).expectProblem(507, "quota-exceeded");

    JsonNode usage = bob.get("/api/v1/account/usage").expect(200).json();
    assertThat(usage.path("usedBytes").asLong()).isEqualTo(600_000);
    assertThat(usage.path("quotaBytes").asLong()).isEqualTo(1_000_000);
  }

  @Test
  void shrinking_a_file_is_always_allowed_and_deleting_makes_room() {
    JsonNode first = bob.uploaded("/first.bin", bytes(900_000, 1));
    bob.upload(Map.of("path", "/first.bin", "overwrite", true), bytes(1_050_000, 3))
        .expectProblem(507, "quota-exceeded");
    bob.upload(Map.of("path", "/first.bin", "overwrite", true), bytes(100_000, 4)).expect(201);
    bob.upload("/other.bin", bytes(800_000, 5)).expect(201);
    bob.upload("/third.bin", bytes(200_000, 6)).expectProblem(507, "quota-exceeded");

    bob.delete("/api/v1/files/" + first.path("id").asText()).expect(204);
    bob.upload("/third.bin", bytes(200_000, 6)).expect(201);
  }

  @Test
  void only_an_admin_sets_quotas_and_bad_values_are_clear_errors() {
    server
        .json("PUT", "/api/v1/admin/users/bob/quota", bob.token(), Map.of("quotaBytes", 1 << 30))
        .expectProblem(403, "admin-only");
    bob.get("/api/v1/admin/users/bob/quota").expectProblem(403, "admin-only");
    server
        .json("PUT", "/api/v1/admin/users/bob/quota", alice.token(), Map.of("quotaBytes", -1))
        .expectProblem(400, "invalid-quota");
    // A typo or an empty body never lifts a limit.
    server
        .json("PUT", "/api/v1/admin/users/bob/quota", alice.token(), Map.of("quota", 5))
        .expectProblem(400, "invalid-quota");
    server
        .json("PUT", "/api/v1/admin/users/nobody/quota", alice.token(), Map.of("quotaBytes", 1))
        .expectProblem(404, "user-not-found");

    bob.delete("/api/v1/admin/users/bob/quota").expectProblem(403, "admin-only");
    JsonNode removed = alice.delete("/api/v1/admin/users/bob/quota").expect(200).json();
    assertThat(removed.has("quotaBytes")).isFalse();
    bob.uploaded("/big.bin", bytes(2_000_000, 7));
    assertThat(
            alice
                .get("/api/v1/admin/users/bob/quota")
                .expect(200)
                .json()
                .path("usedBytes")
                .asLong())
        .isEqualTo(2_000_000);
  }

  @Test
  void a_shared_folder_counts_against_its_owner_whoever_writes_in_it() {
    alice.folder("/Team");
    String team = alice.lookup("/Team").json().path("id").asText();
    server
        .json(
            "PUT", "/api/v1/admin/users/alice/quota", alice.token(), Map.of("quotaBytes", 500_000))
        .expect(200);
    alice
        .post(
            "/api/v1/files/" + team + "/share",
            Map.of("users", List.of("bob"), "permissions", List.of("editor")))
        .expect(200);
    // Bob has room of his own, but the folder is Alice's, and her figures are not his to see.
    Reply refused = bob.upload("/Team/big.bin", bytes(600_000, 8));
    refused.expectProblem(507, "quota-exceeded");
    assertThat(refused.detail()).contains("owner of this shared folder").doesNotContain("500000");
    bob.upload("/Team/small.bin", bytes(100_000, 9)).expect(201);
    assertThat(alice.get("/api/v1/account/usage").json().path("usedBytes").asLong())
        .isEqualTo(100_000);
    assertThat(bob.get("/api/v1/account/usage").json().path("usedBytes").asLong()).isZero();

    // Moving a file of his own into her folder is content arriving there too.
    String mine = bob.uploaded("/mine.bin", bytes(450_000, 10)).path("id").asText();
    String bobsTeam = bob.lookup("/Team").json().path("id").asText();
    bob.patch("/api/v1/files/" + mine, Map.of("parentId", bobsTeam))
        .expectProblem(507, "quota-exceeded");
    assertThat(bob.lookup("/mine.bin").expect(200).json().path("id").asText()).isEqualTo(mine);
  }

  @Test
  void what_comes_back_from_the_trash_counts_again() {
    String first = bob.uploaded("/first.bin", bytes(600_000, 11)).path("id").asText();
    bob.delete("/api/v1/files/" + first).expect(204);
    bob.uploaded("/second.bin", bytes(600_000, 12));
    bob.post("/api/v1/trash/" + first + "/restore", null).expectProblem(507, "quota-exceeded");
    assertThat(bob.get("/api/v1/trash").expect(200).json()).hasSize(1);
  }

  private static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }
}
