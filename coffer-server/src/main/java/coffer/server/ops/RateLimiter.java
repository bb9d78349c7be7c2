package coffer.server.ops;

import java.time.Duration;
import java.util.Optional;

/**
 * Counts requests against {@link RateLimit}s, per key ({@code user:ID}, {@code ip:ADDRESS}). One
 * server counts in memory; several share their counts in Redis, so a caller spreading requests over
 * servers gets no more. Every adapter passes {@code RateLimiterContract}.
 */
public interface RateLimiter extends AutoCloseable {

  /** Counts one request of {@code key}: empty when it may go ahead, else how long until one may. */
  Optional<Duration> take(String key, RateLimit limit);

  @Override
  void close();
}
