package coffer.server.notify;

import java.util.function.Consumer;

/**
 * Carries messages between servers (and within one): "namespace N has changed up to sequence S"
 * hints from the code that commits to the connections waiting for changes, and "what you cached
 * about K is stale" invalidations. Both are best effort: the journal and the database are the
 * truth; a lost hint only delays a client until its next poll, and caches bound how long a lost
 * invalidation can matter. Adapters: in-process and Redis pub/sub.
 */
public interface Notifier extends AutoCloseable {

  /** Announces that {@code namespaceId}'s journal now reaches {@code seq}. */
  void publish(String namespaceId, long seq);

  /**
   * Calls {@code listener} for every hint published after this returns, on any server. Closing the
   * returned handle stops the calls.
   */
  AutoCloseable subscribe(Consumer<Hint> listener);

  /** Tells every server that what it caches about {@code key} is stale. */
  void invalidate(String key);

  /**
   * Calls {@code listener} with every key invalidated after this returns, on any server. Closing
   * the returned handle stops the calls.
   */
  AutoCloseable onInvalidate(Consumer<String> listener);

  @Override
  void close();

  /** One wake-up hint. */
  record Hint(String namespaceId, long seq) {}
}
