package coffer.sim;

/**
 * The simulated process dies here. An {@link Error}, so the engine's own handling of failures
 * (which catches exceptions) never swallows it; the simulation throws the engine away and starts a
 * new one on the same folder and index, as a restart after kill -9 would.
 */
final class SimCrash extends Error {
  SimCrash(String point) {
    super("crash " + point, null, false, false);
  }
}
