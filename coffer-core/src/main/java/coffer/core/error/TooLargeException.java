package coffer.core.error;

/** The request body exceeds a configured limit (HTTP 413). */
public final class TooLargeException extends CofferException {
  public TooLargeException(String type, String message) {
    super(type, message);
  }

  public TooLargeException(String type, String message, Throwable cause) {
    super(type, message, cause);
  }
}
