package coffer.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.ServerConfig;
import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import coffer.server.support.Reply;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Per-user and per-address limits answer 429 with Retry-After, and count each caller apart. */
class RateLimitsApiTest extends FreshServerTest {

  @Override
  protected UnaryOperator<ServerConfig> configure() {
    return c -> c.withRateLimits(new RateLimit(1, 5), new RateLimit(1, 8));
  }

  @Test
  void a_user_beyond_the_burst_gets_429_with_retry_after_and_others_carry_on() {
    Account bob = server.newAccount("bob");
    Reply last = null;
    for (int i = 0; i < 6; i++) {
      last = alice.get("/api/v1/account");
    }
    assertThat(last.status()).isEqualTo(429);
    assertThat(last.json().path("type").asText()).endsWith("rate-limited");
    assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 2L);
    bob.get("/api/v1/account").expect(200);
  }

  @Test
  void requests_without_a_token_are_counted_by_address() {
    int limited = 0;
    for (int i = 0; i < 10; i++) {
      Reply reply = server.get("/api/v1/health");
      if (reply.status() == 429) {
        limited++;
        assertThat(reply.header("Retry-After")).isNotBlank();
      }
    }
    assertThat(limited).isPositive();
    alice.get("/api/v1/account").expect(200); // a token's requests count against the user instead
  }

  @Test
  void wrong_tokens_are_counted_by_address_so_guessing_them_is_slowed() {
    int refused = 0;
    int limited = 0;
    for (int i = 0; i < 12; i++) {
      Reply reply = server.get("/api/v1/account", "Authorization", "Bearer cft_guess" + i);
      if (reply.status() == 401) {
        refused++;
      } else {
        assertThat(reply.status()).isEqualTo(429);
        limited++;
      }
    }
    assertThat(refused).isBetween(1, 9); // the burst of 8 (and perhaps one refilled)
    assertThat(limited).isPositive();
    alice.get("/api/v1/account").expect(200); // a valid token still counts against its user only
  }

  @Test
  void without_a_trusted_proxy_x_forwarded_for_is_ignored() {
    int limited = 0;
    for (int i = 0; i < 10; i++) {
      if (server.get("/api/v1/health", "X-Forwarded-For", "203.0.113." + i).status() == 429) {
        limited++;
      }
    }
    assertThat(limited).as("all ten counted against the one peer address").isPositive();
  }

  @Test
  void health_readiness_and_metrics_are_never_limited() {
    for (int i = 0; i < 20; i++) {
      server.get("/healthz").expect(200);
      server.get("/readyz").expect(200);
    }
  }
}
