package coffer.core.error;

/** The request contradicts the current state, such as a name already taken (HTTP 409). */
public final class ConflictException extends CofferException {
  public ConflictException(String type, String message) {
    super(type, message);
  }

  public ConflictException(String type, String message, Throwable cause) {
    super(type, message, cause);
  }
}
