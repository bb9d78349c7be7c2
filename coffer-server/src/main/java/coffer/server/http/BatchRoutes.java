package coffer.server.http;

import coffer.core.api.BatchRequest;
import coffer.core.api.BatchResult;
import coffer.core.error.TooLargeException;
import coffer.server.files.BatchService;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** {@code POST /api/v1/batch}: many tree operations, one result each. */
public final class BatchRoutes {

  /** A batch body may carry inline content, so it may be larger than other JSON bodies. */
  static final int MAX_BODY = 64 << 20;

  private final BatchService batches;

  BatchRoutes(BatchService batches) {
    this.batches = batches;
  }

  void apply(Context ctx) throws IOException {
    byte[] body;
    try (InputStream in = ctx.req().getInputStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw new TooLargeException(
          "too-large", "A batch body holds at most " + MAX_BODY + " bytes; split the batch.");
    }
    BatchRequest request = Json.read(body, BatchRequest.class);
    List<BatchResult> results =
        batches.apply(Requests.principal(ctx), request.operations()).stream()
            .map(outcome -> result(outcome, ctx.path()))
            .toList();
    ctx.json(new BatchResult.Page(results));
  }

  /** One operation's outcome as the batch endpoint answers it. */
  public static BatchResult result(BatchService.Outcome outcome, String path) {
    return switch (outcome) {
      case BatchService.Done done ->
          new BatchResult(
              done.opId(), done.created() ? 201 : 200, done.file(), null, done.replayed());
      case BatchService.Refused refused ->
          new BatchResult(
              refused.opId(),
              Problems.status(refused.problem()),
              null,
              Problems.of(refused.problem(), path),
              false);
    };
  }
}
