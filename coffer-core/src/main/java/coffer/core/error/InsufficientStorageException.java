package coffer.core.error;

/** Storing this would take an account over its quota (HTTP 507 Insufficient Storage). */
public final class InsufficientStorageException extends CofferException {
  public InsufficientStorageException(String type, String message) {
    super(type, message);
  }
}
