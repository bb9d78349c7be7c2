package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first account is the admin: it lists accounts and signs other users' devices out. */
class AdminApiTest extends FreshServerTest {

  @Test
  void the_admin_pages_through_every_account() {
    server.newAccount("bob");
    server.newAccount("Carol");
    List<String> names = new ArrayList<>();
    for (JsonNode user : alice.get("/api/v1/admin/users?limit=2").expect(200).json()) {
      names.add(user.path("username").asText());
    }
    assertThat(names).containsExactly("alice", "bob");
    JsonNode rest = alice.get("/api/v1/admin/users?after=bob").expect(200).json();
    assertThat(rest).hasSize(1);
    assertThat(rest.get(0).path("username").asText()).isEqualTo("Carol");
    assertThat(rest.get(0).path("admin").asBoolean()).isFalse();
  }

  @Test
  void the_admin_signs_out_another_users_device() {
    Account bob = server.newAccount("bob");
    JsonNode devices = alice.get("/api/v1/admin/users/bob/devices").expect(200).json();
    assertThat(devices).hasSize(1);
    assertThat(devices.get(0).path("id").asText()).isEqualTo(bob.deviceId());

    alice.delete("/api/v1/admin/users/bob/devices/" + bob.deviceId()).expect(204);
    bob.get("/api/v1/account").expectProblem(401);
    alice.get("/api/v1/admin/users/nobody/devices").expectProblem(404, "user-not-found");
  }

  @Test
  void anyone_else_is_refused() {
    Account bob = server.newAccount("bob");
    bob.get("/api/v1/admin/users").expectProblem(403, "admin-only");
    bob.get("/api/v1/admin/users/alice/devices").expectProblem(403, "admin-only");
    bob.delete("/api/v1/admin/users/alice/devices/" + alice.deviceId())
        .expectProblem(403, "admin-only");
    alice.get("/api/v1/account").expect(200);
  }
}
