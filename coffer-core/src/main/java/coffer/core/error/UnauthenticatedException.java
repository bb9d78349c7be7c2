package coffer.core.error;

/**
 * No valid credentials were presented (HTTP 401). {@link #challenge()} names what the caller should
 * present: a bearer token, unless said otherwise.
 */
public final class UnauthenticatedException extends CofferException {

  private final String challenge;

  public UnauthenticatedException(String type, String message) {
    this(type, message, null, "Bearer");
  }

  public UnauthenticatedException(String type, String message, Throwable cause) {
    this(type, message, cause, "Bearer");
  }

  private UnauthenticatedException(String type, String message, Throwable cause, String challenge) {
    super(type, message, cause);
    this.challenge = challenge;
  }

  /** A 401 that asks for other credentials than a bearer token, such as a link's password. */
  public static UnauthenticatedException challenging(
      String challenge, String type, String message) {
    return new UnauthenticatedException(type, message, null, challenge);
  }

  /** The authentication scheme the caller should use, as in {@code WWW-Authenticate}. */
  public String challenge() {
    return challenge;
  }
}
