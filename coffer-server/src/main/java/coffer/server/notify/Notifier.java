package coffer.server.notify;

import java.util.function.Consumer;

/**
 * Carries "namespace N has changed up to sequence S" hints between the code that commits and the
 * connections waiting for changes. Hints are best-effort wake-ups: the journal is the truth, and a
 * lost hint only delays a client until its next poll. Adapters: in-process and Redis pub/sub.
 */
public interface Notifier extends AutoCloseable {

  /** Announces that {@code namespaceId}'s journal now reaches {@code seq}. */
  void publish(String namespaceId, long seq);

  /**
   * Calls {@code listener} for every hint published after this returns, on any server. Closing the
   * returned handle stops the calls.
   */
  AutoCloseable subscribe(Consumer<Hint> listener);

  @Override
  void close();

  /** One wake-up hint. */
  record Hint(String namespaceId, long seq) {}
}
