package coffer.client.sync;

/**
 * Named points inside the engine between a change on disk and its record in the index, where a
 * simulation may stop the engine as a crash would. Nothing happens at them in a real run.
 */
@FunctionalInterface
public interface Failpoints {

  Failpoints NONE = name -> {};

  /** The engine has reached the point {@code name}. */
  void reach(String name);
}
