package coffer.server.notify;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/** {@link Notifier} for one server process: messages go straight to local listeners. */
public final class InProcessNotifier implements Notifier {

  private final Set<Consumer<Hint>> listeners = new CopyOnWriteArraySet<>();
  private final Set<Consumer<String>> invalidations = new CopyOnWriteArraySet<>();

  @Override
  public void publish(String namespaceId, long seq) {
    Hint hint = new Hint(namespaceId, seq);
    for (Consumer<Hint> listener : listeners) {
      listener.accept(hint);
    }
  }

  @Override
  public AutoCloseable subscribe(Consumer<Hint> listener) {
    Consumer<Hint> own = listener::accept; // a distinct identity per subscription
    listeners.add(own);
    return () -> listeners.remove(own);
  }

  @Override
  public void invalidate(String key) {
    for (Consumer<String> listener : invalidations) {
      listener.accept(key);
    }
  }

  @Override
  public AutoCloseable onInvalidate(Consumer<String> listener) {
    Consumer<String> own = listener::accept;
    invalidations.add(own);
    return () -> invalidations.remove(own);
  }

  @Override
  public void close() {
    listeners.clear();
    invalidations.clear();
  }
}
