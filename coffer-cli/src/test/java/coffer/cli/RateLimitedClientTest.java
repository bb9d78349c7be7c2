package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.client.CofferClient;
import coffer.server.CofferServer;
import coffer.server.ServerConfig;
import coffer.server.auth.PasswordHasher;
import coffer.server.ops.RateLimit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client refused for going too fast waits as long as the server asks, then goes on. */
class RateLimitedClientTest {

  @TempDir Path tmp;

  @Test
  void requests_refused_with_retry_after_are_sent_again_after_the_wait_and_succeed()
      throws Exception {
    try (CofferServer server =
        CofferServer.start(
            ServerConfig.defaults()
                .withDataDir(tmp.resolve("data"))
                .withPort(0)
                .withPasswords(new PasswordHasher(1024, 1, 1))
                .withRateLimits(new RateLimit(2, 2), null))) {
      CofferClient anonymous = new CofferClient(server.url(), null);
      anonymous.signup("alice", "password-alice");
      CofferClient alice =
          new CofferClient(
              server.url(), anonymous.login("alice", "password-alice", "test").token());

      for (int i = 0; i < 8; i++) {
        assertThat(alice.account().username()).isEqualTo("alice"); // none fails
      }

      // The limit did bite: the server answered 429 on the way, and the client waited it out.
      assertThat(refusals(server.url())).isGreaterThan(0);
    }
  }

  private static double refusals(URI server) throws Exception {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(
            l ->
                l.startsWith("coffer_http_requests_seconds_count{") && l.contains("status=\"429\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
