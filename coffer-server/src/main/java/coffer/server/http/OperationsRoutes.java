package coffer.server.http;

import coffer.core.model.Ids;
import coffer.server.auth.Principal;
import coffer.server.ops.Readiness;
import coffer.server.ops.ServerMetrics;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of the edge: {@code /healthz}, {@code /readyz}, {@code /metrics}, a request
 * id on every request and response ({@code X-Request-Id}), and one access-log line per request
 * (logger {@code coffer.access}) that never holds a token: the query string is left out, and so is
 * the token of a public link's path.
 */
final class OperationsRoutes {

  static final String REQUEST_ID = "X-Request-Id";
  private static final String ID_ATTRIBUTE = "coffer.requestId";
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Logger ACCESS = LoggerFactory.getLogger("coffer.access");

  private final ServerMetrics metrics;
  private final Readiness readiness;

  OperationsRoutes(ServerMetrics metrics, Readiness readiness) {
    this.metrics = metrics;
    this.readiness = readiness;
  }

  /** Takes the caller's request id when it is a sane one (a proxy's), else makes one. */
  void requestId(Context ctx) {
    String given = ctx.header(REQUEST_ID);
    String id = given != null && SANE_ID.matcher(given).matches() ? given : Ids.newId();
    ctx.attribute(ID_ATTRIBUTE, id);
    ctx.header(REQUEST_ID, id);
  }

  /** Called once each request is answered: its latency into the metrics, one line into the log. */
  void finished(Context ctx, Float millis) {
    String route = route(ctx);
    int status = ctx.statusCode();
    metrics.request(
        ctx.method().name(), route, status, Duration.ofNanos((long) (millis * 1_000_000)));
    if (ACCESS.isInfoEnabled()) {
      Principal principal = ctx.attribute(Requests.PRINCIPAL);
      ACCESS.info(
          "request_id={} method={} path={} status={} ms={} user={} remote={}",
          Optional.ofNullable(ctx.<String>attribute(ID_ATTRIBUTE)).orElse("-"),
          ctx.method().name(),
          Requests.loggablePath(ctx),
          status,
          String.format(java.util.Locale.ROOT, "%.1f", millis),
          principal == null ? "-" : principal.userId(),
          Requests.client(ctx));
    }
  }

  private static String route(Context ctx) {
    try {
      Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint == null ? "unmatched" : endpoint.path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }

  void health(Context ctx) {
    ctx.json(Map.of("status", "ok"));
  }

  void ready(Context ctx) {
    Optional<String> problem = readiness.problem();
    if (problem.isPresent()) {
      ctx.status(503).json(Map.of("status", "not ready", "reason", problem.get()));
    } else {
      ctx.json(Map.of("status", "ready"));
    }
  }

  void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
    ctx.result(metrics.scrape());
  }
}
