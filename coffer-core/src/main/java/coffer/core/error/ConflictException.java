package coffer.core.error;

/** The request contradicts the current state, such as a name already taken (HTTP 409). */
public final class ConflictException extends CofferException {

  private final String currentRevision;

  public ConflictException(String type, String message) {
    this(type, message, (String) null);
  }

  public ConflictException(String type, String message, Throwable cause) {
    super(type, message, cause);
    this.currentRevision = null;
  }

  /**
   * A conflict with a file's state: {@code currentRevision} is the revision it has now (null when
   * it has none, as when it was deleted or is a folder).
   */
  public ConflictException(String type, String message, String currentRevision) {
    super(type, message);
    this.currentRevision = currentRevision;
  }

  /** The file's revision at the time of the conflict, when the conflict is about one. */
  public String currentRevision() {
    return currentRevision;
  }
}
