package coffer.core.error;

/** The request body has a content type this endpoint does not take (HTTP 415). */
public final class UnsupportedMediaTypeException extends CofferException {
  public UnsupportedMediaTypeException(String type, String message) {
    super(type, message);
  }

  public UnsupportedMediaTypeException(String type, String message, Throwable cause) {
    super(type, message, cause);
  }
}
