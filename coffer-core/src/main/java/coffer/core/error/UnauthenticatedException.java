package coffer.core.error;

/** No valid credentials were presented (HTTP 401). */
public final class UnauthenticatedException extends CofferException {
  public UnauthenticatedException(String type, String message) {
    super(type, message);
  }

  public UnauthenticatedException(String type, String message, Throwable cause) {
    super(type, message, cause);
  }
}
