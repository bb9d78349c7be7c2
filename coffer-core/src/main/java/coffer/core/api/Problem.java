package coffer.core.api;

/**
 * An RFC 9457 problem: every error the API returns. {@code type} is stable and names the problem
 * ({@code /problems/invalid-name}); {@code detail} tells a person what went wrong and how to fix
 * it. A {@code stale-revision} conflict also names the file's {@code currentRevision}, so a client
 * can fetch exactly what it missed.
 */
public record Problem(
    String type, String title, int status, String detail, String instance, String currentRevision) {

  public Problem(String type, String title, int status, String detail, String instance) {
    this(type, title, status, detail, instance, null);
  }
}
