package coffer.server.sync;

import coffer.server.notify.Notifier;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Parks long-polls until a hint for one of their namespaces arrives. One subscription to the {@link
 * Notifier} serves every waiting request, so an idle long-poll costs a latch and a map entry, not a
 * connection to Redis.
 */
public final class ChangeWaiters implements AutoCloseable {

  private final Map<String, Set<Waiter>> byNamespace = new ConcurrentHashMap<>();
  private final AutoCloseable subscription;

  public ChangeWaiters(Notifier notifier) {
    this.subscription = notifier.subscribe(this::onHint);
  }

  /** A registration to wait on; register before checking for changes, so none slips between. */
  final class Waiter implements AutoCloseable {
    private final Map<String, Long> positions;
    private final CountDownLatch woken = new CountDownLatch(1);

    private Waiter(Map<String, Long> positions) {
      this.positions = positions;
    }

    /** Waits until woken or the timeout passes; true when woken. */
    boolean await(Duration timeout) throws InterruptedException {
      return woken.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      positions
          .keySet()
          .forEach(
              ns ->
                  byNamespace.computeIfPresent(
                      ns,
                      (k, set) -> {
                        set.remove(this);
                        return set.isEmpty() ? null : set;
                      }));
    }
  }

  /** Registers interest in any namespace of {@code positions} moving past its position. */
  Waiter register(Map<String, Long> positions) {
    Waiter waiter = new Waiter(Map.copyOf(positions));
    positions
        .keySet()
        .forEach(
            ns -> byNamespace.computeIfAbsent(ns, k -> ConcurrentHashMap.newKeySet()).add(waiter));
    return waiter;
  }

  /** How many long-polls are parked (for metrics and tests). */
  public int waiting() {
    return (int) byNamespace.values().stream().flatMap(Set::stream).distinct().count();
  }

  private void onHint(Notifier.Hint hint) {
    Set<Waiter> waiters = byNamespace.get(hint.namespaceId());
    if (waiters == null) {
      return;
    }
    for (Waiter waiter : waiters) {
      if (hint.seq() > waiter.positions.getOrDefault(hint.namespaceId(), 0L)) {
        waiter.woken.countDown();
      }
    }
  }

  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot unsubscribe from change hints", e);
    }
  }
}
