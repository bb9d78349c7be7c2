package coffer.cli;

/** A failure explained in the user's terms; printed without a stack trace. */
final class UserException extends RuntimeException {
  UserException(String message) {
    super(message);
  }
}
