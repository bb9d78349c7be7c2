package coffer.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link Notifier} adapter promises; each adapter's test extends this. */
@SuppressWarnings("try") // subscriptions are held open by try-with-resources, not read
public abstract class NotifierContract {

  /** A notifier; tests that need two servers call this twice and expect them to share hints. */
  protected abstract Notifier newNotifier();

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Notifier.Hint next(BlockingQueue<Notifier.Hint> received)
      throws InterruptedException {
    return received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void a_subscriber_receives_what_is_published_after_it_subscribed() throws Exception {
    try (Notifier notifier = newNotifier()) {
      BlockingQueue<Notifier.Hint> received = new LinkedBlockingQueue<>();
      try (AutoCloseable ignored = notifier.subscribe(received::add)) {
        notifier.publish("ns-a", 7);
        assertThat(next(received)).isEqualTo(new Notifier.Hint("ns-a", 7));
      }
    }
  }

  @Test
  void every_subscriber_receives_every_hint_in_order_from_one_publisher() throws Exception {
    try (Notifier notifier = newNotifier()) {
      BlockingQueue<Notifier.Hint> first = new LinkedBlockingQueue<>();
      BlockingQueue<Notifier.Hint> second = new LinkedBlockingQueue<>();
      try (AutoCloseable a = notifier.subscribe(first::add);
          AutoCloseable b = notifier.subscribe(second::add)) {
        for (long seq = 1; seq <= 3; seq++) {
          notifier.publish("ns-b", seq);
        }
        for (BlockingQueue<Notifier.Hint> queue : List.of(first, second)) {
          assertThat(List.of(next(queue), next(queue), next(queue)))
              .extracting(Notifier.Hint::seq)
              .containsExactly(1L, 2L, 3L);
        }
      }
    }
  }

  @Test
  void invalidations_reach_their_listeners_and_not_the_hint_subscribers() throws Exception {
    try (Notifier notifier = newNotifier()) {
      BlockingQueue<String> invalidated = new LinkedBlockingQueue<>();
      BlockingQueue<Notifier.Hint> hints = new LinkedBlockingQueue<>();
      try (AutoCloseable a = notifier.onInvalidate(invalidated::add);
          AutoCloseable b = notifier.subscribe(hints::add)) {
        notifier.invalidate("device:d1");
        notifier.publish("ns-e", 3);
        assertThat(invalidated.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("device:d1");
        assertThat(next(hints)).isEqualTo(new Notifier.Hint("ns-e", 3));
        assertThat(invalidated).isEmpty();
      }
    }
  }

  @Test
  void a_closed_subscription_receives_nothing_more() throws Exception {
    try (Notifier notifier = newNotifier()) {
      BlockingQueue<Notifier.Hint> closed = new LinkedBlockingQueue<>();
      BlockingQueue<Notifier.Hint> open = new LinkedBlockingQueue<>();
      AutoCloseable subscription = notifier.subscribe(closed::add);
      try (AutoCloseable ignored = notifier.subscribe(open::add)) {
        subscription.close();
        notifier.publish("ns-c", 1);
        // Once the open subscriber has the hint, the closed one would have had it too.
        assertThat(next(open)).isNotNull();
        assertThat(closed).isEmpty();
      }
    }
  }
}
