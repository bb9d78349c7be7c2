package coffer.server.support;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The services some tests need (PostgreSQL, Redis): a missing one skips those tests on an
 * engineer's machine, with a message, and fails them in CI (the environment variable {@code CI}
 * set), so a missing service never passes silently.
 */
public final class RequiredServices {

  /** The Redis that tests use. */
  public static final String REDIS_URL = "redis://127.0.0.1:6379";

  private RequiredServices() {}

  /** Skips (outside CI) or fails (in CI) the calling test, saying what is missing. */
  public static void missing(String message) {
    if (System.getenv("CI") != null) {
      fail(message + " (CI is set, so this is a failure, not a skip)");
    }
    abort(message + " (skipped; with CI set this fails)");
  }
}
