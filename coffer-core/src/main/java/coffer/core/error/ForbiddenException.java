package coffer.core.error;

/** The caller is known but may not do this, or a signature is invalid (HTTP 403). */
public final class ForbiddenException extends CofferException {
  public ForbiddenException(String type, String message) {
    super(type, message);
  }

  public ForbiddenException(String type, String message, Throwable cause) {
    super(type, message, cause);
  }
}
