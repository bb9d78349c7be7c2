package coffer.client;

/** Told how many bytes of a transfer are done; {@code total} is -1 when unknown. */
@FunctionalInterface
public interface Progress {
  Progress NONE = (done, total) -> {};

  void update(long done, long total);
}
