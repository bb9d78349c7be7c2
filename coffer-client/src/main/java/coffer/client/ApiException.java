package coffer.client;

import coffer.core.api.Problem;

/** The server refused a request; {@link #problem()} says why in its own words. */
public final class ApiException extends RuntimeException {

  private final int status;
  private final Problem problem;

  public ApiException(int status, Problem problem) {
    super(problem.detail() != null ? problem.detail() : problem.title());
    this.status = status;
    this.problem = problem;
  }

  public int status() {
    return status;
  }

  public Problem problem() {
    return problem;
  }

  /** The problem type's slug, such as {@code file-exists}. */
  public String type() {
    String type = problem.type() == null ? "" : problem.type();
    return type.substring(type.lastIndexOf('/') + 1);
  }
}
