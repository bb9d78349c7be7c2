package coffer.server.support;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline, instead of sleeping a guessed time. */
public final class Await {
  private Await() {}

  /** Polls {@code condition} until it holds; fails once {@code timeout} has passed. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("gave up after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  /** Waits until the wall clock is past {@code instant}: for expiries only time can bring. */
  public static void past(Instant instant) {
    Duration left = Duration.between(Instant.now(), instant);
    until(
        "the clock to pass " + instant,
        left.isNegative() ? Duration.ofSeconds(1) : left.plusSeconds(5),
        () -> Instant.now().isAfter(instant));
  }
}
