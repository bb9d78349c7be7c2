package coffer.server.http;

import coffer.core.error.BadRequestException;
import coffer.server.sync.ChangeService;
import io.javalin.http.Context;
import java.time.Duration;

/** The change feed: {@code /api/v1/changes}, its long-poll, and one node's history. */
final class ChangeRoutes {

  private final ChangeService changes;

  ChangeRoutes(ChangeService changes) {
    this.changes = changes;
  }

  void list(Context ctx) {
    int limit = number(ctx, "limit", ChangeService.MAX_PAGE);
    ctx.json(changes.changes(Requests.principal(ctx), ctx.queryParam("cursor"), limit));
  }

  void await(Context ctx) throws InterruptedException {
    int seconds = number(ctx, "timeout", 60);
    ctx.json(
        changes.await(
            Requests.principal(ctx), ctx.queryParam("cursor"), Duration.ofSeconds(seconds)));
  }

  void history(Context ctx) {
    ctx.json(changes.history(Requests.principal(ctx), ctx.pathParam("fileId")));
  }

  private static int number(Context ctx, String name, int otherwise) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequestException(
          "invalid-parameter", "'" + name + "' must be a whole number of at least 0.");
    }
  }
}
