package coffer.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RateLimiter} does; each adapter's test extends this. */
abstract class RateLimiterContract {

  protected abstract RateLimiter newLimiter();

  private RateLimiter limiter;

  /** Keys of this run's own, so earlier runs (on a shared Redis) cannot interfere. */
  private final String run = UUID.randomUUID().toString();

  @BeforeEach
  void open() {
    limiter = newLimiter();
  }

  @AfterEach
  void close() {
    limiter.close();
  }

  @Test
  void a_burst_goes_through_and_the_request_after_it_waits_about_one_refill() {
    RateLimit limit = new RateLimit(2, 5);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.take(run + "a", limit)).as("request %d", i).isEmpty();
    }
    Optional<Duration> wait = limiter.take(run + "a", limit);
    assertThat(wait).isPresent();
    assertThat(wait.get()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(600));
  }

  @Test
  void keys_are_counted_apart() {
    RateLimit limit = new RateLimit(1, 1);
    assertThat(limiter.take(run + "one", limit)).isEmpty();
    assertThat(limiter.take(run + "one", limit)).isPresent();
    assertThat(limiter.take(run + "two", limit)).isEmpty();
  }

  @Test
  void tokens_come_back_over_time() {
    RateLimit limit = new RateLimit(2, 1);
    assertThat(limiter.take(run + "t", limit)).isEmpty();
    Duration wait = limiter.take(run + "t", limit).orElseThrow();
    LockSupport.parkNanos(wait.plusMillis(20).toNanos());
    assertThat(limiter.take(run + "t", limit)).isEmpty();
  }
}
