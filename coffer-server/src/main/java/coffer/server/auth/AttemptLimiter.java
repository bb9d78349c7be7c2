package coffer.server.auth;

import coffer.core.error.TooManyRequestsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Limits failed attempts, such as wrong passwords, per key (a link, a client address) within a
 * sliding window: once a key has failed {@code maxFailures} times in the last {@code window}, every
 * further attempt under it is refused until the oldest of those failures is older than the window.
 *
 * <p>An attempt counts as a failure from the moment it {@linkplain #begin begins} until it
 * {@linkplain Attempt#succeeded succeeds}, so that many attempts sent at once cannot all slip past
 * the limit while the first ones are still being checked. The counts live in this server's memory:
 * each server of a cluster counts on its own, and a restart forgets them.
 */
public final class AttemptLimiter {

  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final Map<String, ArrayDeque<Instant>> failures = new HashMap<>();
  private Instant nextSweep = Instant.MIN;

  public AttemptLimiter(int maxFailures, Duration window, Clock clock) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be at least 1");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the window must be positive");
    }
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
  }

  /**
   * Begins an attempt under every one of {@code keys}, counted as a failure of each until it
   * succeeds. Refused with a {@link TooManyRequestsException} of type {@code too-many-attempts},
   * counting nothing, when any key has used up its failures; its {@code retryAfter} is how long
   * until that key may try again.
   */
  public synchronized Attempt begin(String... keys) {
    Instant now = clock.instant();
    sweep(now);
    Duration wait = Duration.ZERO;
    for (String key : keys) {
      ArrayDeque<Instant> recent = recent(key, now);
      if (recent.size() >= maxFailures) {
        Duration left = Duration.between(now, recent.peekFirst().plus(window));
        wait = left.compareTo(wait) > 0 ? left : wait;
      }
    }
    if (wait.isPositive()) {
      throw new TooManyRequestsException(
          "too-many-attempts",
          "Too many wrong attempts; try again in " + seconds(wait) + " seconds.",
          wait);
    }
    List<String> counted = List.of(keys);
    for (String key : counted) {
      failures.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
    }
    return new Attempt(counted, now);
  }

  /** Failures of {@code key} still inside the window at {@code now}; for tests and operators. */
  public synchronized int failures(String key) {
    return recent(key, clock.instant()).size();
  }

  /** One attempt in progress: a failure unless it is marked as a success. */
  public final class Attempt {
    private final List<String> keys;
    private final Instant at;
    private boolean settled;

    private Attempt(List<String> keys, Instant at) {
      this.keys = keys;
      this.at = at;
    }

    /** The attempt succeeded: it no longer counts against any of its keys. */
    public void succeeded() {
      synchronized (AttemptLimiter.this) {
        if (settled) {
          return;
        }
        settled = true;
        for (String key : keys) {
          ArrayDeque<Instant> recent = failures.get(key);
          if (recent != null) {
            recent.removeLastOccurrence(at);
            if (recent.isEmpty()) {
              failures.remove(key);
            }
          }
        }
      }
    }
  }

  private ArrayDeque<Instant> recent(String key, Instant now) {
    ArrayDeque<Instant> recent = failures.get(key);
    if (recent == null) {
      return new ArrayDeque<>();
    }
    Instant cutoff = now.minus(window);
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
      recent.removeFirst();
    }
    return recent;
  }

  /** Forgets keys whose failures have all left the window, at most once per window. */
  private void sweep(Instant now) {
    if (now.isBefore(nextSweep)) {
      return;
    }
    nextSweep = now.plus(window);
    for (String key : new ArrayList<>(failures.keySet())) {
      if (recent(key, now).isEmpty()) {
        failures.remove(key);
      }
    }
  }

  /** Whole seconds, rounded up, at least 1: what a {@code Retry-After} header can say. */
  public static long seconds(Duration wait) {
    long s = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
    return Math.max(1, s);
  }
}
