package coffer.core.error;

/**
 * Stored data is missing, corrupt or unreachable: the server's fault, never the client's (HTTP
 * 500/503).
 */
public final class StorageException extends CofferException {
  public StorageException(String type, String message) {
    super(type, message);
  }

  public StorageException(String type, String message, Throwable cause) {
    super(type, message, cause);
  }
}
