package coffer.server.http;

import coffer.core.error.CofferException;
import coffer.server.auth.Principal;
import coffer.server.sync.ChangeService;
import io.javalin.http.Context;
import io.javalin.websocket.WsCloseStatus;
import io.javalin.websocket.WsConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The change feed: {@code /api/v1/changes}, its long-poll, and one node's history. */
final class ChangeRoutes {

  private static final String CHANGED = "{\"changed\":true}";

  private final ChangeService changes;

  ChangeRoutes(ChangeService changes) {
    this.changes = changes;
  }

  void list(Context ctx) {
    int limit = Requests.number(ctx, "limit", ChangeService.MAX_PAGE);
    ctx.json(changes.changes(Requests.principal(ctx), ctx.queryParam("cursor"), limit));
  }

  /** {@code GET /changes/latest}: a cursor at the current end of the feed, for a view of now. */
  void latest(Context ctx) {
    ctx.json(java.util.Map.of("cursor", changes.latest(Requests.principal(ctx))));
  }

  void await(Context ctx) throws InterruptedException {
    int seconds = Requests.number(ctx, "timeout", 60);
    ctx.json(
        changes.await(
            Requests.principal(ctx), ctx.queryParam("cursor"), Duration.ofSeconds(seconds)));
  }

  /**
   * {@code /api/v1/changes/stream}: a WebSocket that carries {@code {"changed":true}} whenever
   * something visible to the {@code cursor} changes, so a client need not hold a long-poll open.
   */
  void stream(WsConfig ws) {
    Map<String, AutoCloseable> open = new ConcurrentHashMap<>();
    ws.onConnect(
        ctx -> {
          Principal p = ctx.attribute(Requests.PRINCIPAL);
          ctx.enableAutomaticPings(30, TimeUnit.SECONDS);
          try {
            open.put(
                ctx.sessionId(),
                changes.stream(p, ctx.queryParam("cursor"), () -> ctx.send(CHANGED)));
          } catch (CofferException e) {
            ctx.closeSession(WsCloseStatus.POLICY_VIOLATION, e.getMessage());
          }
        });
    ws.onClose(ctx -> closeQuietly(open.remove(ctx.sessionId())));
    ws.onError(ctx -> closeQuietly(open.remove(ctx.sessionId())));
  }

  private static void closeQuietly(AutoCloseable handle) throws Exception {
    if (handle != null) {
      handle.close();
    }
  }

  void history(Context ctx) {
    ctx.json(changes.history(Requests.principal(ctx), ctx.pathParam("fileId")));
  }
}
