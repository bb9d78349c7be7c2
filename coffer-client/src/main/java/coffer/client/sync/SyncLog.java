package coffer.client.sync;

/** What the sync engine tells its user as it works: one line per action, and problems. */
public interface SyncLog {

  /** An action completed: {@code symbol} says which kind (↑ ↓ → ✗ + !), {@code path} where. */
  void action(String symbol, String path);

  /**
   * Something did not work, or needs the user; {@code path} is empty when it concerns no one path.
   */
  void problem(String path, String message);
}
