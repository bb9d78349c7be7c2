package coffer.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Decides, from the seed, where things go wrong: crashes at failpoints and around server calls,
 * requests lost before they arrive or answers lost after the server acted, and other devices acting
 * in the middle of a sync (which reorders requests between devices). Nothing goes wrong while
 * disarmed: until a sync attempt has read the feed and scanned, and during the final quiescence.
 */
final class Chaos {

  /** How often things go wrong, per chance. */
  record Odds(double crash, double failBefore, double failAfter, double interfere) {
    static final Odds NONE = new Odds(0, 0, 0, 0);
    static final Odds DEFAULT = new Odds(0.01, 0.03, 0.03, 0.05);
  }

  private final RandomGenerator random;
  private final Consumer<String> trace;
  private Odds odds = Odds.DEFAULT;
  private boolean armed;
  private String losing;
  private Runnable meanwhile;
  private int crashes;
  private final java.util.Set<String> crashPoints = new java.util.TreeSet<>();

  Chaos(RandomGenerator random, Consumer<String> trace) {
    this.random = random;
    this.trace = trace;
  }

  void odds(Odds odds) {
    this.odds = odds;
  }

  void arm(boolean armed) {
    this.armed = armed;
  }

  boolean armed() {
    return armed;
  }

  int crashes() {
    return crashes;
  }

  List<String> crashPoints() {
    return List.copyOf(crashPoints);
  }

  void maybeCrash(String point) {
    if (armed && random.nextDouble() < odds.crash()) {
      crashes++;
      crashPoints.add(point);
      trace.accept("  crash " + point);
      throw new SimCrash(point);
    }
  }

  void maybeFailBefore(String call) {
    if (armed && random.nextDouble() < odds.failBefore()) {
      trace.accept("  lost request " + call);
      throw new UncheckedIOException(new IOException("simulated: " + call + " never arrived"));
    }
  }

  /**
   * Loses the next answer to {@code call}, whatever the odds, running {@code meanwhile} (what the
   * user does while the answer is in the air) before the device learns of the loss.
   */
  void loseNextAnswerTo(String call, Runnable meanwhile) {
    this.losing = call;
    this.meanwhile = meanwhile;
  }

  void maybeFailAfter(String call) {
    if (call.equals(losing)) {
      losing = null;
      meanwhile.run();
      trace.accept("  lost answer " + call);
      throw new UncheckedIOException(
          new IOException("simulated: the answer to " + call + " was lost"));
    }
    if (armed && random.nextDouble() < odds.failAfter()) {
      trace.accept("  lost answer " + call);
      throw new UncheckedIOException(
          new IOException("simulated: the answer to " + call + " was lost"));
    }
  }

  boolean interfere() {
    return armed && random.nextDouble() < odds.interfere();
  }
}
