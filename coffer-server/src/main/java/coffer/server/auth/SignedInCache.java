package coffer.server.auth;

import coffer.core.hash.Sha256;
import coffer.server.notify.Notifier;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Who is behind each bearer token seen lately, so that most requests authenticate without asking
 * the database. Signing a device out drops its entries here at once and, through the {@link
 * Notifier}, on every other server within moments; entries live at most {@link #LIFETIME}, which
 * bounds how long a lost message (Redis unreachable) can let a signed-out token through elsewhere.
 */
public final class SignedInCache {

  /** The longest an entry is trusted without the database being asked again. */
  public static final Duration LIFETIME = Duration.ofSeconds(10);

  private static final String DEVICE = "device:";

  /** A token's caller, and when its device was last recorded as used. */
  record Entry(Principal principal, Instant touched) {}

  private final Cache<Sha256, Entry> cache;
  private final Notifier notifier;
  private long generation;

  public SignedInCache(Notifier notifier, Clock clock) {
    this.notifier = notifier;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(LIFETIME)
            .ticker(
                () -> {
                  Instant now = clock.instant();
                  return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
            .recordStats()
            .build();
    notifier.onInvalidate(
        key -> {
          if (key.startsWith(DEVICE)) {
            drop(key.substring(DEVICE.length()));
          }
        });
  }

  /** The cache itself, for its hit and miss counts. */
  public Cache<?, ?> cache() {
    return cache;
  }

  Entry get(Sha256 token) {
    return cache.getIfPresent(token);
  }

  /**
   * Where a lookup must start: an entry read from the database is kept only if no device was signed
   * out since (it might have been that one, read just before the sign-out).
   */
  synchronized long generation() {
    return generation;
  }

  synchronized void put(Sha256 token, Entry entry, long readAt) {
    if (generation == readAt) {
      cache.put(token, entry);
    }
  }

  /** A device was signed out here: forget it on this server at once, and tell the others. */
  void signedOut(String deviceId) {
    drop(deviceId);
    notifier.invalidate(DEVICE + deviceId);
  }

  private synchronized void drop(String deviceId) {
    generation++;
    cache.asMap().values().removeIf(e -> deviceId.equals(e.principal().deviceId()));
  }
}
