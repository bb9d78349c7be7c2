package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.ServerConfig;
import coffer.server.support.FreshServerTest;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import java.net.http.HttpRequest;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Guessing passwords: ten wrong ones for an account from one address lock that pair out. */
class LoginAttemptsApiTest extends FreshServerTest {

  @Override
  protected UnaryOperator<ServerConfig> configure() {
    // Behind a proxy on loopback, so the test can speak from several client addresses.
    return c -> c.withTrustedProxies(Set.of("127.0.0.1"));
  }

  private Reply login(String password, String from) {
    return login("alice", password, from);
  }

  private Reply login(String user, String password, String from) {
    String body =
        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"device\":\"x\"}";
    return server.send(
        server
            .request("/api/v1/auth/login")
            .header("Content-Type", "application/json")
            .header("X-Forwarded-For", from)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  @Test
  void ten_wrong_passwords_lock_out_that_address_for_that_account_even_with_the_right_one() {
    String right = "correct horse battery staple";
    server.signup("carol", right).expect(201);
    for (int i = 0; i < 10; i++) {
      login("wrong guess " + i, "203.0.113.7").expectProblem(401, "invalid-credentials");
    }
    Reply locked = login("wrong guess 10", "203.0.113.7");
    locked.expectProblem(429, "too-many-attempts");
    assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 15 * 60L);

    // alice herself, from her own address, is not locked out by the guesser.
    String alicePassword = alicesPassword();
    login(alicePassword, "198.51.100.20").expect(200);
    // The guesser's address may still sign in to another account.
    login("carol", right, "203.0.113.7").expect(200);
  }

  @Test
  void successful_log_ins_never_count() {
    String password = alicesPassword();
    for (int i = 0; i < 15; i++) {
      login(password, "203.0.113.8").expect(200);
    }
    for (int i = 0; i < 9; i++) {
      login("wrong " + i, "203.0.113.8").expectProblem(401, "invalid-credentials");
    }
    login(password, "203.0.113.8").expect(200);
  }

  private String alicesPassword() {
    return TestServer.PASSWORD;
  }
}
