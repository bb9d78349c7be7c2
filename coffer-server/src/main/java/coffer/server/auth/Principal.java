package coffer.server.auth;

/** The authenticated caller of one request: a user on one device. */
public record Principal(
    String userId, String username, boolean admin, String homeNamespace, String deviceId) {}
