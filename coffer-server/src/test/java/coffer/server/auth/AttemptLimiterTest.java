package coffer.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.core.error.TooManyRequestsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AttemptLimiterTest {

  /** A clock that moves only when the test says so. */
  static final class ManualClock extends Clock {
    private volatile Instant now = Instant.parse("2026-03-01T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final AttemptLimiter limiter = new AttemptLimiter(5, Duration.ofMinutes(1), clock);

  private void fail(String... keys) {
    limiter.begin(keys); // never succeeds: a failure
  }

  @Test
  void five_failures_are_allowed_and_the_sixth_attempt_is_refused_with_the_wait() {
    for (int i = 0; i < 5; i++) {
      fail("link:a");
      clock.advance(Duration.ofSeconds(1));
    }

    assertThatThrownBy(() -> limiter.begin("link:a"))
        .isInstanceOf(TooManyRequestsException.class)
        .satisfies(
            e -> {
              TooManyRequestsException tooMany = (TooManyRequestsException) e;
              assertThat(tooMany.type()).isEqualTo("too-many-attempts");
              // The first failure was 5 s ago: it leaves the window in 55 s.
              assertThat(tooMany.retryAfter()).isEqualTo(Duration.ofSeconds(55));
            });
    assertThat(limiter.failures("link:a")).as("a refused attempt is not counted").isEqualTo(5);
  }

  @Test
  void a_key_may_try_again_once_its_oldest_failure_left_the_window() {
    fail("link:a");
    clock.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 4; i++) {
      fail("link:a");
    }
    assertThatThrownBy(() -> limiter.begin("link:a")).isInstanceOf(TooManyRequestsException.class);

    clock.advance(Duration.ofSeconds(30));

    assertThat(limiter.failures("link:a")).isEqualTo(4);
    limiter.begin("link:a").succeeded();
    fail("link:a");
    assertThatThrownBy(() -> limiter.begin("link:a"))
        .isInstanceOf(TooManyRequestsException.class)
        .extracting(e -> ((TooManyRequestsException) e).retryAfter())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void a_successful_attempt_does_not_count() {
    for (int i = 0; i < 20; i++) {
      limiter.begin("link:a", "client:1").succeeded();
    }
    assertThat(limiter.failures("link:a")).isZero();
    assertThat(limiter.failures("client:1")).isZero();
  }

  @Test
  void every_key_counts_and_any_exhausted_key_refuses() {
    for (int i = 0; i < 5; i++) {
      fail("link:" + i, "client:1");
    }
    assertThat(limiter.failures("link:0")).isEqualTo(1);

    // A new link from the same client is refused: the client used up its failures.
    assertThatThrownBy(() -> limiter.begin("link:new", "client:1"))
        .isInstanceOf(TooManyRequestsException.class);
    // The same links from another client are not.
    limiter.begin("link:0", "client:2").succeeded();
    assertThat(limiter.failures("link:new")).isZero();
  }

  @Test
  void concurrent_attempts_cannot_slip_past_the_limit_together() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> admitted = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        admitted.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    limiter.begin("link:a");
                    return true;
                  } catch (TooManyRequestsException e) {
                    return false;
                  }
                }));
      }
      start.countDown();
      int count = 0;
      for (Future<Boolean> f : admitted) {
        count += f.get() ? 1 : 0;
      }
      assertThat(count).isEqualTo(5);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void retry_after_is_rounded_up_to_whole_seconds() {
    assertThat(AttemptLimiter.seconds(Duration.ofMillis(1))).isEqualTo(1);
    assertThat(AttemptLimiter.seconds(Duration.ofMillis(59_001))).isEqualTo(60);
    assertThat(AttemptLimiter.seconds(Duration.ofSeconds(7))).isEqualTo(7);
    assertThat(AttemptLimiter.seconds(Duration.ZERO)).isEqualTo(1);
  }
}
