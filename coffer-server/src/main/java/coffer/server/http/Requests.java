package coffer.server.http;

import coffer.core.error.UnauthenticatedException;
import coffer.server.auth.Principal;
import io.javalin.http.Context;

/** Small helpers for reading requests. */
final class Requests {
  static final String PRINCIPAL = "coffer.principal";

  private Requests() {}

  /** The bearer token of the request; a missing or malformed header is a 401. */
  static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new UnauthenticatedException(
          "missing-token", "Sign in first: send 'Authorization: Bearer <token>'.");
    }
    return header.substring(7).strip();
  }

  /** The caller, set by the authentication filter. */
  static Principal principal(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    if (principal == null) {
      throw new UnauthenticatedException("missing-token", "Sign in first.");
    }
    return principal;
  }
}
