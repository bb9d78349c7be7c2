package coffer.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.RequiredServices;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Redis adapter against the real Redis on 127.0.0.1:6379 (CI starts one; missing fails CI). */
class RedisRateLimiterTest extends RateLimiterContract {

  static final String URL = RequiredServices.REDIS_URL;

  @Override
  protected RateLimiter newLimiter() {
    try {
      return new RedisRateLimiter(URL, "coffer-test:");
    } catch (IllegalStateException e) {
      RequiredServices.missing("Redis is not reachable at " + URL + ": " + e.getMessage());
      throw e;
    }
  }

  @Test
  void two_servers_share_one_count() {
    String key = "shared-" + UUID.randomUUID();
    RateLimit limit = new RateLimit(1, 2);
    try (RateLimiter one = newLimiter();
        RateLimiter two = newLimiter()) {
      assertThat(one.take(key, limit)).isEmpty();
      assertThat(two.take(key, limit)).isEmpty();
      assertThat(one.take(key, limit)).isPresent();
      assertThat(two.take(key, limit)).isPresent();
    }
  }
}
