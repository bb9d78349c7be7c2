package coffer.server.http;

import coffer.core.error.BadRequestException;
import coffer.core.error.UnauthenticatedException;
import coffer.server.auth.Principal;
import io.javalin.http.Context;

/** Small helpers for reading requests. */
final class Requests {
  static final String PRINCIPAL = "coffer.principal";
  static final String CLIENT = "coffer.client";

  /** A public link's path: its token is the link's only secret. */
  private static final java.util.regex.Pattern LINK_TOKEN =
      java.util.regex.Pattern.compile("^(/api/v1/links/)[^/]+");

  private Requests() {}

  /**
   * The request's path as logs may hold it: the token of a public link's path is left out, and so
   * is the query string (presigned URLs carry their signature there).
   */
  static String loggablePath(Context ctx) {
    return LINK_TOKEN.matcher(ctx.path()).replaceFirst("$1…");
  }

  /** The bearer token of the request; a missing or malformed header is a 401. */
  static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new UnauthenticatedException(
          "missing-token", "Sign in first: send 'Authorization: Bearer <token>'.");
    }
    return header.substring(7).strip();
  }

  /**
   * The client's address: the peer's, or, when the peer is a trusted proxy, the last address in
   * {@code X-Forwarded-For} that is not a trusted proxy (what a client writes there itself stands
   * before its real address, so it is never taken).
   */
  static String client(Context ctx) {
    String known = ctx.attribute(CLIENT);
    return known != null ? known : ctx.ip();
  }

  static String clientOf(Context ctx, java.util.Set<String> trustedProxies) {
    String peer = ctx.ip();
    String forwarded = ctx.header("X-Forwarded-For");
    if (forwarded == null || !trustedProxies.contains(peer)) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop.length() > 64 ? hop.substring(0, 64) : hop;
      }
    }
    return peer;
  }

  /**
   * Refuses a request a browser sent from a page of another origin. Browsers name the page's origin
   * in {@code Origin} on every WebSocket handshake, and a WebSocket is not bound by the same-origin
   * policy, so this is the check that keeps other sites' pages off it; clients that are not
   * browsers send no {@code Origin} and pass. Only the host and port are compared: behind a proxy
   * that ends TLS the page's scheme is https while this server sees http; and a proxy that passes
   * on {@code Host} without the port (nginx's {@code $host}) leaves the host name alone to compare.
   */
  static void requireSameOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) {
      return;
    }
    String host = ctx.header("Host") == null ? "" : ctx.header("Host").strip();
    java.net.URI page;
    try {
      page = java.net.URI.create(origin.strip());
    } catch (IllegalArgumentException e) {
      page = null;
    }
    boolean same =
        page != null
            && page.getHost() != null
            && !host.isEmpty()
            && (host.equalsIgnoreCase(page.getRawAuthority())
                || (!host.contains(":") && host.equalsIgnoreCase(page.getHost())));
    if (!same) {
      throw new coffer.core.error.ForbiddenException(
          "cross-origin", "Pages of another site may not open this; use this server's own page.");
    }
  }

  /** The caller, set by the authentication filter. */
  static Principal principal(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    if (principal == null) {
      throw new UnauthenticatedException("missing-token", "Sign in first.");
    }
    return principal;
  }

  /** A query parameter that must be a whole number of at least 0; anything else is a 400. */
  static long number(String value, String name) {
    try {
      long n = Long.parseLong(value.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          "invalid-parameter", "'" + name + "' must be a whole number of at least 0.");
    }
  }

  /**
   * Like {@link #number(String, String)} for an optional parameter, {@code otherwise} if absent.
   */
  static int number(Context ctx, String name, int otherwise) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    return (int) Math.min(Integer.MAX_VALUE, number(value, name));
  }
}
