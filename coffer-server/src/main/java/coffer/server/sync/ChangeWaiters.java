package coffer.server.sync;

import coffer.server.notify.Notifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Parks long-polls and change streams until a hint for one of their namespaces arrives. One
 * subscription to the {@link Notifier} serves every waiting request, so an idle long-poll or stream
 * costs a map entry and a callback, not a connection to Redis.
 */
public final class ChangeWaiters implements AutoCloseable {

  private final Map<String, Set<Waiter>> byNamespace = new ConcurrentHashMap<>();
  private final Set<Parked> parked = ConcurrentHashMap.newKeySet();
  private final AutoCloseable subscription;
  private volatile boolean closed;

  public ChangeWaiters(Notifier notifier) {
    this.subscription = notifier.subscribe(this::onHint);
  }

  /**
   * A registration for hints beyond some positions; register before checking for changes, so none
   * slips between. Each hint past a namespace's position calls {@code onChange} once and advances
   * the position, so a repeated hint does not call it again.
   */
  final class Waiter implements AutoCloseable {
    private final Map<String, Long> positions;
    private final Runnable onChange;

    private Waiter(Map<String, Long> positions, Runnable onChange) {
      this.positions = new ConcurrentHashMap<>(positions);
      this.onChange = onChange;
    }

    private void hint(Notifier.Hint hint) {
      long[] before = new long[1];
      positions.computeIfPresent(
          hint.namespaceId(),
          (ns, position) -> {
            before[0] = position;
            return Math.max(position, hint.seq());
          });
      if (hint.seq() > before[0]) {
        onChange.run();
      }
    }

    /**
     * Follows exactly {@code namespaces} from now on: new ones from their given positions, and no
     * longer the ones left out (a share that ended).
     */
    synchronized void retarget(Map<String, Long> namespaces) {
      if (closed) {
        return; // a stream closed meanwhile stays unregistered
      }
      for (String ns : List.copyOf(positions.keySet())) {
        if (!namespaces.containsKey(ns)) {
          positions.remove(ns);
          unregister(ns);
        }
      }
      namespaces.forEach(
          (ns, position) -> {
            if (positions.putIfAbsent(ns, position) == null) {
              byNamespace.computeIfAbsent(ns, k -> ConcurrentHashMap.newKeySet()).add(this);
            }
          });
    }

    private void unregister(String ns) {
      byNamespace.computeIfPresent(
          ns,
          (k, set) -> {
            set.remove(this);
            return set.isEmpty() ? null : set;
          });
    }

    private boolean closed;

    @Override
    public synchronized void close() {
      closed = true;
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

  /** A long-poll's registration: {@link #await} returns once something changed. */
  final class Parked implements AutoCloseable {
    private final CountDownLatch woken = new CountDownLatch(1);
    private final Waiter waiter;

    private Parked(Map<String, Long> positions) {
      this.waiter = listen(positions, woken::countDown);
      parked.add(this);
      if (closed) {
        woken.countDown(); // a server stopping answers at once
      }
    }

    /** Waits until woken or the timeout passes; true when woken. */
    boolean await(Duration timeout) throws InterruptedException {
      return woken.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      parked.remove(this);
      waiter.close();
    }
  }

  /** Registers a long-poll for any namespace of {@code positions} moving past its position. */
  Parked register(Map<String, Long> positions) {
    return new Parked(positions);
  }

  /**
   * Calls {@code onChange} (on the notifier's thread: it must not block) whenever a namespace of
   * {@code positions} moves past its position, until the returned registration is closed.
   */
  Waiter listen(Map<String, Long> positions, Runnable onChange) {
    Waiter waiter = new Waiter(positions, onChange);
    positions
        .keySet()
        .forEach(
            ns -> byNamespace.computeIfAbsent(ns, k -> ConcurrentHashMap.newKeySet()).add(waiter));
    return waiter;
  }

  /** How many long-polls and streams are waiting (for metrics and tests). */
  public int waiting() {
    return (int) byNamespace.values().stream().flatMap(Set::stream).distinct().count();
  }

  private void onHint(Notifier.Hint hint) {
    Set<Waiter> waiters = byNamespace.get(hint.namespaceId());
    if (waiters == null) {
      return;
    }
    for (Waiter waiter : waiters) {
      waiter.hint(hint);
    }
  }

  /**
   * Stops listening and answers every parked long-poll at once, so a stopping server need not wait
   * for them to time out; their clients ask again, of a server that runs.
   */
  @Override
  public void close() {
    closed = true;
    parked.forEach(p -> p.woken.countDown());
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot unsubscribe from change hints", e);
    }
  }
}
