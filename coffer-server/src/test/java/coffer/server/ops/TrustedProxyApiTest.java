package coffer.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.ServerConfig;
import coffer.server.support.FreshServerTest;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Behind a trusted proxy, each client is counted by the address the proxy saw, not the proxy's. */
class TrustedProxyApiTest extends FreshServerTest {

  @Override
  protected UnaryOperator<ServerConfig> configure() {
    return c -> c.withRateLimits(null, new RateLimit(1, 3)).withTrustedProxies(Set.of("127.0.0.1"));
  }

  private int status(String forwardedFor) {
    return server.get("/api/v1/health", "X-Forwarded-For", forwardedFor).status();
  }

  @Test
  void clients_behind_the_proxy_are_counted_apart() {
    for (int i = 0; i < 3; i++) {
      assertThat(status("203.0.113.7")).isEqualTo(200);
    }
    assertThat(status("203.0.113.7")).isEqualTo(429);
    assertThat(status("203.0.113.8")).as("another client of the same proxy").isEqualTo(200);
  }

  @Test
  void what_a_client_writes_into_x_forwarded_for_itself_is_not_believed() {
    for (int i = 0; i < 3; i++) {
      assertThat(status("203.0.113.7")).isEqualTo(200);
    }
    // The client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended the address it saw.
    assertThat(status("198.51.100.1, 203.0.113.7")).isEqualTo(429);
  }
}
