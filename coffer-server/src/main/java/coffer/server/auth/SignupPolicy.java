package coffer.server.auth;

/** Who may create accounts once the first (admin) account exists. */
public enum SignupPolicy {
  /** Anyone who can reach the server. */
  OPEN,
  /** Only an admin, signed in. */
  ADMIN_ONLY
}
