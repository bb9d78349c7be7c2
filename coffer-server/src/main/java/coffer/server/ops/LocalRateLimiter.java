package coffer.server.ops;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RateLimiter} for one server: a token bucket per key in memory, the least recently used
 * keys forgotten beyond {@link #MAX_KEYS} (a forgotten key starts again with a full bucket).
 */
public final class LocalRateLimiter implements RateLimiter {

  static final int MAX_KEYS = 100_000;

  private final Map<String, Bucket> buckets =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
          return size() > MAX_KEYS;
        }
      };

  @Override
  public Optional<Duration> take(String key, RateLimit limit) {
    Bucket bucket;
    synchronized (buckets) {
      bucket = buckets.computeIfAbsent(key + "|" + limit, k -> bucket(limit));
    }
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    return probe.isConsumed()
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }

  private static Bucket bucket(RateLimit limit) {
    return Bucket.builder()
        .addLimit(
            l -> l.capacity(limit.burst()).refillGreedy(limit.perSecond(), limit.refillPeriod()))
        .build();
  }

  @Override
  public void close() {
    synchronized (buckets) {
      buckets.clear();
    }
  }
}
