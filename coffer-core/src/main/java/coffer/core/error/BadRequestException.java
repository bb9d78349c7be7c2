package coffer.core.error;

/** The request is malformed or names something that cannot exist (HTTP 400). */
public final class BadRequestException extends CofferException {
  public BadRequestException(String type, String message) {
    super(type, message);
  }

  public BadRequestException(String type, String message, Throwable cause) {
    super(type, message, cause);
  }
}
