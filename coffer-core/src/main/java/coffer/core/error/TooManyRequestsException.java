package coffer.core.error;

import java.time.Duration;

/**
 * The caller tried too often and must wait before trying again (HTTP 429). {@link #retryAfter()}
 * says how long.
 */
public final class TooManyRequestsException extends CofferException {

  private final Duration retryAfter;

  public TooManyRequestsException(String type, String message, Duration retryAfter) {
    super(type, message);
    this.retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
  }

  /** How long to wait before the next try is counted again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
