package coffer.server.auth;

/** The authenticated caller of one request: a user on one device. */
public record Principal(
    String userId, String username, boolean admin, String homeNamespace, String deviceId) {

  /** A user acting on no device's behalf (what a link or a presigned URL was made by or for). */
  public static Principal of(coffer.core.model.User user) {
    return new Principal(user.id(), user.username(), user.admin(), user.homeNamespace(), null);
  }
}
