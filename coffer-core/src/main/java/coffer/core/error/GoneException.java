package coffer.core.error;

/** What was asked for existed but is no longer available, such as an expired link (HTTP 410). */
public final class GoneException extends CofferException {
  public GoneException(String type, String message) {
    super(type, message);
  }
}
