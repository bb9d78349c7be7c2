package coffer.server.ops;

import java.time.Duration;

/**
 * How many requests one caller may make: {@code perSecond} on average and up to {@code burst} at
 * once (a token bucket of {@code burst} tokens refilled at {@code perSecond}).
 */
public record RateLimit(long perSecond, long burst) {

  /** A user's requests with a token: a sync client sending a large folder stays well inside. */
  public static final RateLimit PER_USER = new RateLimit(200, 2000);

  /** Requests without a token (sign-up, log-in, public links), by client address. */
  public static final RateLimit PER_ADDRESS = new RateLimit(50, 500);

  public RateLimit {
    if (perSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("a rate limit allows at least one request a second");
    }
  }

  /** Up to {@code perSecond} a second, bursts of ten seconds' worth. */
  public static RateLimit perSecond(long perSecond) {
    return new RateLimit(perSecond, perSecond * 10);
  }

  Duration refillPeriod() {
    return Duration.ofSeconds(1);
  }
}
