package coffer.client.sync;

/** What the sync engine tells its user as it works: one line per action, and problems. */
public interface SyncLog {

  /** An action completed: {@code symbol} says which kind (↑ ↓ → ✗ + !), {@code path} where. */
  void action(String symbol, String path);

  /**
   * Something did not work, or needs the user; {@code path} is empty when it concerns no one path.
   */
  void problem(String path, String message);

  /**
   * Where the round under way stands: {@code finished} of its {@code planned} actions are over
   * (done or failed), and {@code bytes} have moved (read for uploads, written for downloads). Told
   * often, from several threads; a log that shows no progress ignores it.
   */
  default void progress(int finished, int planned, long bytes) {}
}
