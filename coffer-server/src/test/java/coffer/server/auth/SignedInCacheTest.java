package coffer.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.hash.Sha256;
import coffer.server.notify.InProcessNotifier;
import coffer.server.notify.Notifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cache of signed-in tokens: how long it trusts an entry, and what makes it forget one. */
class SignedInCacheTest {

  private final AttemptLimiterTest.ManualClock clock = new AttemptLimiterTest.ManualClock();
  private final Notifier notifier = new InProcessNotifier();
  private final SignedInCache cache = new SignedInCache(notifier, clock);

  private static final Sha256 TOKEN = Sha256.of("cft_token".getBytes(StandardCharsets.UTF_8));

  private static SignedInCache.Entry entry(String deviceId) {
    return new SignedInCache.Entry(
        new Principal("u1", "alice", false, "ns1", deviceId), java.time.Instant.EPOCH);
  }

  @Test
  void an_entry_is_trusted_for_its_lifetime_and_not_longer() {
    cache.put(TOKEN, entry("d1"), cache.generation());
    clock.advance(SignedInCache.LIFETIME.minusSeconds(1));
    assertThat(cache.get(TOKEN)).isNotNull();
    clock.advance(Duration.ofSeconds(2));
    assertThat(cache.get(TOKEN)).isNull();
  }

  @Test
  void signing_a_device_out_forgets_it_here_and_on_every_server_sharing_the_notifier() {
    SignedInCache other = new SignedInCache(notifier, clock);
    Sha256 tablet = Sha256.of("cft_tablet".getBytes(StandardCharsets.UTF_8));
    cache.put(TOKEN, entry("d1"), cache.generation());
    cache.put(tablet, entry("d2"), cache.generation());
    other.put(TOKEN, entry("d1"), other.generation());

    cache.signedOut("d1");

    assertThat(cache.get(TOKEN)).isNull();
    assertThat(other.get(TOKEN)).isNull();
    assertThat(cache.get(tablet)).as("another device stays signed in").isNotNull();
  }

  @Test
  void a_lookup_read_before_a_sign_out_is_not_kept() {
    long readAt = cache.generation(); // the database said: signed in
    cache.signedOut("d1"); // meanwhile, the device is signed out
    cache.put(TOKEN, entry("d1"), readAt); // the stale answer arrives
    assertThat(cache.get(TOKEN)).isNull();
  }
}
