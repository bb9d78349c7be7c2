package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.auth.SignupPolicy;
import coffer.server.support.Account;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
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

/** Sign-up, log-in, tokens and devices. One open server is shared; every test has new accounts. */
class AuthApiTest {

  @TempDir static Path tmp;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(tmp.resolve("open"));
    // The first account of a server is its admin; take that role here so tests see plain users.
    server.signup("the-admin", TestServer.PASSWORD).expect(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String unique(String prefix) {
    return TestServer.uniqueName(prefix);
  }

  @Nested
  class Signup {

    @Test
    void the_first_account_is_an_admin_and_the_second_is_not() {
      try (TestServer fresh = TestServer.start(tmp.resolve("fresh"))) {
        JsonNode first = fresh.signup("alice", TestServer.PASSWORD).expect(201).json();
        JsonNode second = fresh.signup("bob", TestServer.PASSWORD).expect(201).json();

        assertThat(first.path("username").asText()).isEqualTo("alice");
        assertThat(first.path("admin").asBoolean()).isTrue();
        assertThat(first.path("id").asText()).isNotBlank();
        assertThat(second.path("username").asText()).isEqualTo("bob");
        assertThat(second.path("admin").asBoolean()).isFalse();
        assertThat(second.path("id").asText()).isNotEqualTo(first.path("id").asText());
      }
    }

    @Test
    void a_username_taken_in_another_case_is_a_conflict() {
      String name = unique("Carol");
      server.signup(name, TestServer.PASSWORD).expect(201);

      server.signup(name.toLowerCase(), "another password").expectProblem(409, "username-taken");
      server.signup(name.toUpperCase(), "another password").expectProblem(409, "username-taken");
      server.login(name, "another password", null).expectProblem(401, "invalid-credentials");
      server.login(name, TestServer.PASSWORD, null).expect(200);
    }

    @Test
    void a_short_password_is_refused() {
      String name = unique("dave");

      server.signup(name, "short").expectProblem(400, "weak-password");
      server.signup(name, "1234567").expectProblem(400, "weak-password");
      server.login(name, "short", null).expectProblem(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-alice", "al ice", "ali/ce", "alice\u0000", "ä"})
    void an_invalid_username_is_refused(String username) {
      server.signup(username, TestServer.PASSWORD).expectProblem(400, "invalid-username");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "", "[]", "null", "42", "{\"username\": [1, 2]}"})
    void a_malformed_body_is_a_400_not_a_500(String body) {
      server.json("POST", "/api/v1/auth/signup", null, body).expectProblem(400);
      server.json("POST", "/api/v1/auth/login", null, body).expectProblem(400);
    }

    @Test
    void unknown_fields_in_the_credentials_are_ignored() {
      server
          .json(
              "POST",
              "/api/v1/auth/signup",
              null,
              Map.of("username", unique("erin"), "password", TestServer.PASSWORD, "extra", 1))
          .expect(201);
    }
  }

  @Nested
  class Login {

    String name;

    @BeforeEach
    void signup() {
      name = unique("alice");
      server.signup(name, TestServer.PASSWORD).expect(201);
    }

    @Test
    void the_right_password_gives_a_token_that_opens_the_account() {
      JsonNode login =
          server.login(name.toUpperCase(), TestServer.PASSWORD, "laptop").expect(200).json();
      String token = login.path("token").asText();

      assertThat(token).isNotBlank();
      assertThat(login.path("deviceId").asText()).isNotBlank();
      assertThat(login.path("account").path("username").asText()).isEqualTo(name);

      JsonNode account =
          server.get("/api/v1/account", "Authorization", "Bearer " + token).expect(200).json();
      assertThat(account.path("username").asText()).isEqualTo(name);
      assertThat(account.path("admin").asBoolean()).isFalse();
    }

    @Test
    void a_wrong_password_is_a_401_invalid_credentials_problem() {
      Reply reply =
          server.login(name, "not the password", null).expectProblem(401, "invalid-credentials");

      assertThat(reply.contentType()).startsWith("application/problem+json");
      assertThat(reply.json().path("token").isMissingNode()).isTrue();
    }

    @Test
    void an_unknown_user_gets_the_same_answer_as_a_wrong_password() {
      Reply unknown = server.login(unique("mallory"), TestServer.PASSWORD, null);
      Reply wrong = server.login(name, "not the password", null);

      unknown.expectProblem(401, "invalid-credentials");
      assertThat(unknown.detail()).isEqualTo(wrong.detail());
    }

    @Test
    void a_login_without_a_password_is_400() {
      server
          .json("POST", "/api/v1/auth/login", null, Map.of("username", name))
          .expectProblem(400, "missing-credentials");
    }
  }

  @Nested
  class Tokens {

    Account alice;

    @BeforeEach
    void signIn() {
      alice = server.newUniqueAccount("alice");
    }

    @Test
    void a_request_without_authorization_is_a_401() {
      Reply reply = server.get("/api/v1/account").expectProblem(401);

      assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Bearer garbage",
          "Basic x",
          "Basic YWxpY2U6cGFzc3dvcmQ=",
          "Bearer",
          "Bearer ",
          "Bearer cft_",
          "Bearer cft_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
          "Token cft_x"
        })
    void a_malformed_or_unknown_authorization_is_a_401(String header) {
      server.get("/api/v1/account", "Authorization", header).expectProblem(401);
      server.get("/api/v1/files/root/children", "Authorization", header).expectProblem(401);
    }

    @Test
    void the_scheme_name_is_case_insensitive() {
      server.get("/api/v1/account", "Authorization", "bearer " + alice.token()).expect(200);
    }

    @Test
    void logging_out_makes_the_token_stop_working_at_once() {
      alice.get("/api/v1/account").expect(200);

      alice.post("/api/v1/auth/logout", null).expect(204);

      alice.get("/api/v1/account").expectProblem(401);
      alice.post("/api/v1/auth/logout", null).expectProblem(401);
    }

    @Test
    void revoking_a_device_signs_out_that_device_only() {
      Account phone = server.login(alice.username());
      phone.get("/api/v1/account").expect(200);

      alice.delete("/api/v1/auth/devices/" + phone.deviceId()).expect(204);

      phone.get("/api/v1/account").expectProblem(401);
      alice.get("/api/v1/account").expect(200);
      alice.delete("/api/v1/auth/devices/" + phone.deviceId()).expectProblem(404);
    }

    @Test
    void the_device_list_shows_live_devices_and_marks_the_current_one() {
      Account phone = server.login(alice.username());
      Account tablet = server.login(alice.username());
      tablet.post("/api/v1/auth/logout", null).expect(204);

      JsonNode devices = alice.get("/api/v1/auth/devices").expect(200).json();

      assertThat(devices.findValuesAsText("id"))
          .containsExactlyInAnyOrder(alice.deviceId(), phone.deviceId());
      for (JsonNode device : devices) {
        assertThat(device.path("current").asBoolean())
            .isEqualTo(device.path("id").asText().equals(alice.deviceId()));
      }
    }

    @Test
    void a_user_cannot_revoke_another_users_device() {
      Account bob = server.newUniqueAccount("bob");

      bob.delete("/api/v1/auth/devices/" + alice.deviceId()).expectProblem(404);

      alice.get("/api/v1/account").expect(200);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class AdminOnlySignup {

    TestServer closed;
    JsonNode first;

    @BeforeAll
    void startClosedServer() {
      closed =
          TestServer.start(tmp.resolve("admin-only"), c -> c.withSignup(SignupPolicy.ADMIN_ONLY));
      first = closed.signup("root", TestServer.PASSWORD).expect(201).json();
    }

    @AfterAll
    void stopClosedServer() {
      closed.close();
    }

    @Test
    void the_first_account_signs_up_anonymously_and_is_the_admin() {
      assertThat(first.path("admin").asBoolean()).isTrue();
      assertThat(
              closed
                  .login("root")
                  .get("/api/v1/account")
                  .expect(200)
                  .json()
                  .path("admin")
                  .asBoolean())
          .isTrue();
    }

    @Test
    void a_second_anonymous_signup_is_forbidden() {
      String name = unique("mallory");

      closed.signup(name, TestServer.PASSWORD).expectProblem(403, "signup-closed");

      closed.login(name, TestServer.PASSWORD, null).expectProblem(401);
    }

    @Test
    void the_admin_can_create_an_account() {
      Account admin = closed.login("root");
      String name = unique("bob");

      JsonNode created = closed.signup(name, TestServer.PASSWORD, admin.token()).expect(201).json();

      assertThat(created.path("username").asText()).isEqualTo(name);
      assertThat(created.path("admin").asBoolean()).isFalse();
      closed.login(name).get("/api/v1/account").expect(200);
    }

    @Test
    void a_non_admin_cannot_create_an_account() {
      Account admin = closed.login("root");
      String bobName = unique("bob");
      closed.signup(bobName, TestServer.PASSWORD, admin.token()).expect(201);
      Account bob = closed.login(bobName);

      closed
          .signup(unique("carol"), TestServer.PASSWORD, bob.token())
          .expectProblem(403, "signup-closed");
    }

    @Test
    void a_signup_with_a_bad_token_is_a_401() {
      closed.signup(unique("carol"), TestServer.PASSWORD, "cft_forged").expectProblem(401);
    }
  }
}
