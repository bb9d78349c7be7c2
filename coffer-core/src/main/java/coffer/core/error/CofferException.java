package coffer.core.error;

/**
 * The few failures the domain speaks of. Each carries a stable {@link #type() type} slug that the
 * HTTP edge turns into an RFC 9457 problem type and a status code, so callers can branch on meaning
 * rather than on message text.
 */
public abstract sealed class CofferException extends RuntimeException
    permits BadRequestException,
        UnauthenticatedException,
        ForbiddenException,
        NotFoundException,
        ConflictException,
        GoneException,
        TooLargeException,
        InsufficientStorageException,
        TooManyRequestsException,
        UnsupportedMediaTypeException,
        StorageException {

  private final String type;

  protected CofferException(String type, String message) {
    this(type, message, null);
  }

  protected CofferException(String type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  /** A stable, lowercase, dash-separated slug such as {@code invalid-name}. */
  public String type() {
    return type;
  }
}
