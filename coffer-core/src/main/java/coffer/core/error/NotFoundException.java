package coffer.core.error;

/**
 * Nothing the caller may see exists here (HTTP 404). Also used for other users' objects, so their
 * existence is never revealed.
 */
public final class NotFoundException extends CofferException {
  public NotFoundException(String type, String message) {
    super(type, message);
  }

  public NotFoundException(String type, String message, Throwable cause) {
    super(type, message, cause);
  }
}
