package coffer.server.http;

import coffer.core.api.Problem;
import coffer.core.error.BadRequestException;
import coffer.core.error.CofferException;
import coffer.core.error.ConflictException;
import coffer.core.error.ForbiddenException;
import coffer.core.error.GoneException;
import coffer.core.error.InsufficientStorageException;
import coffer.core.error.NotFoundException;
import coffer.core.error.StorageException;
import coffer.core.error.TooLargeException;
import coffer.core.error.TooManyRequestsException;
import coffer.core.error.UnauthenticatedException;
import coffer.core.error.UnsupportedMediaTypeException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP statuses and RFC 9457 problem bodies. */
public final class Problems {

  static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final long MAX_DISCARD = 1 << 20;

  private Problems() {}

  public static int status(CofferException e) {
    return switch (e) {
      case BadRequestException ignored -> 400;
      case UnauthenticatedException ignored -> 401;
      case ForbiddenException ignored -> 403;
      case NotFoundException ignored -> 404;
      case ConflictException ignored -> 409;
      case GoneException ignored -> 410;
      case TooLargeException ignored -> 413;
      case InsufficientStorageException ignored -> 507;
      case TooManyRequestsException ignored -> 429;
      case UnsupportedMediaTypeException ignored -> 415;
      case StorageException ignored -> 500;
    };
  }

  static void handle(Exception e, Context ctx) {
    switch (e) {
      case CofferException coffer -> {
        int status = status(coffer);
        if (status >= 500) {
          LOG.error(
              "{} {} failed: {}",
              ctx.method(),
              Requests.loggablePath(ctx),
              coffer.getMessage(),
              coffer);
        }
        if (coffer instanceof UnauthenticatedException unauthenticated) {
          ctx.header("WWW-Authenticate", unauthenticated.challenge());
        }
        if (coffer instanceof TooManyRequestsException tooMany) {
          ctx.header("Retry-After", Long.toString(wholeSeconds(tooMany.retryAfter())));
        }
        send(ctx, of(coffer, ctx.path()));
      }
      case HttpResponseException http ->
          write(ctx, http.getStatus(), slug(http.getStatus()), http.getMessage());
      case EofException eof -> {
        LOG.debug("{} {}: client went away", ctx.method(), Requests.loggablePath(ctx));
        // The body ended before its Content-Length: the client went away, or closed its side
        // early and still listens. Say so; left alone, the request would be answered 200.
        if (!ctx.res().isCommitted()) {
          write(ctx, 400, slug(400), "The request body ended before its Content-Length.");
        }
      }
      default -> {
        LOG.error("{} {} failed", ctx.method(), Requests.loggablePath(ctx), e);
        write(ctx, 500, "internal-error", "The server failed; the problem has been logged.");
      }
    }
  }

  /** The problem body for a domain failure; a stale revision names the current one. */
  public static Problem of(CofferException e, String instance) {
    int status = status(e);
    String current = e instanceof ConflictException conflict ? conflict.currentRevision() : null;
    return new Problem(
        "/problems/" + e.type(), title(status), status, e.getMessage(), instance, current);
  }

  static void write(Context ctx, int status, String type, String detail) {
    send(ctx, new Problem("/problems/" + type, title(status), status, detail, ctx.path()));
  }

  private static void send(Context ctx, Problem problem) {
    discardUnreadBody(ctx);
    ctx.status(problem.status());
    ctx.contentType(CONTENT_TYPE);
    // Bytes, not a String: Javalin would encode a String in the response's charset, which is
    // ISO-8859-1 unless one is set, and JSON is UTF-8.
    ctx.result(Json.MAPPER.valueToTree(problem).toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A failure can leave part of the request body unread, as when an upload is refused early. Jetty
   * then answers and closes the connection while the client may still be sending, and that client
   * sees a broken connection instead of the answer. Read a bounded remainder first (as Tomcat's
   * maxSwallowSize does), so the client gets the problem and can keep the connection; when more is
   * left, say that the connection closes.
   */
  private static void discardUnreadBody(Context ctx) {
    if ("100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
      // Reading would ask the client for a body it is still holding back.
      ctx.header("Connection", "close");
      return;
    }
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] buffer = new byte[8192];
      long left = MAX_DISCARD;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug(
          "{} {}: cannot read the rest of the body: {}",
          ctx.method(),
          Requests.loggablePath(ctx),
          e);
    }
    ctx.header("Connection", "close");
  }

  /** Retry-After counts whole seconds: round up, and never say 0 (which invites a retry now). */
  private static long wholeSeconds(Duration wait) {
    return Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
  }

  static String slug(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 413 -> "too-large";
      default -> "http-" + status;
    };
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Not signed in";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 413 -> "Too large";
      case 415 -> "Unsupported media type";
      case 416 -> "Range not satisfiable";
      case 429 -> "Too many requests";
      default -> status >= 500 ? "Server error" : "Error";
    };
  }
}
