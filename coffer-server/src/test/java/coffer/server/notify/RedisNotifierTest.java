package coffer.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.RequiredServices;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Redis adapter against the real Redis on 127.0.0.1:6379 (CI starts one; missing fails CI). */
@SuppressWarnings("try")
class RedisNotifierTest extends NotifierContract {

  static final String URL = RequiredServices.REDIS_URL;

  /** A channel of this test's own, so parallel or earlier runs cannot interfere. */
  private final String channel = "coffer-test-" + UUID.randomUUID();

  @Override
  protected Notifier newNotifier() {
    try {
      return new RedisNotifier(URL, channel);
    } catch (IllegalStateException e) {
      RequiredServices.missing("Redis is not reachable at " + URL + ": " + e.getMessage());
      throw e;
    }
  }

  @Test
  void hints_published_on_one_server_reach_listeners_on_another() throws Exception {
    try (Notifier one = newNotifier();
        Notifier two = newNotifier()) {
      BlockingQueue<Notifier.Hint> received = new LinkedBlockingQueue<>();
      try (AutoCloseable ignored = two.subscribe(received::add)) {
        one.publish("ns-d", 42);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Notifier.Hint("ns-d", 42));
      }
    }
  }

  @Test
  void invalidations_on_one_server_reach_listeners_on_another() throws Exception {
    try (Notifier one = newNotifier();
        Notifier two = newNotifier()) {
      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      try (AutoCloseable ignored = two.onInvalidate(received::add)) {
        one.invalidate("device:d2");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("device:d2");
      }
    }
  }
}
