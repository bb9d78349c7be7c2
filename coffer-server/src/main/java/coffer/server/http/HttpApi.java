package coffer.server.http;

import coffer.server.auth.AuthService;
import coffer.server.blob.BlobStore;
import coffer.server.files.ContentIngest;
import coffer.server.files.FileService;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP edge: routes, the authentication filter and error mapping. Handlers parse the request,
 * call one service method and map its result; everything else lives in the services.
 */
public final class HttpApi {

  private static final Set<String> PUBLIC =
      Set.of("/api/v1/auth/signup", "/api/v1/auth/login", "/api/v1/health");

  private HttpApi() {}

  /** Creates (but does not start) the server. */
  public static Javalin create(
      AuthService auth, FileService files, ContentIngest ingest, BlobStore blobs, long maxUpload) {
    AuthRoutes authRoutes = new AuthRoutes(auth);
    FileRoutes fileRoutes = new FileRoutes(files, ingest, blobs, maxUpload);
    return Javalin.create(
        config -> {
          config.concurrency.useVirtualThreads = true;
          config.http.compressionStrategy = CompressionStrategy.NONE;
          config.http.maxRequestSize = 1024 * 1024;
          config.startup.showJavalinBanner = false;
          config.router.ignoreTrailingSlashes = true;

          var routes = config.routes;
          routes.before(
              "/api/v1/*",
              ctx -> {
                if (!PUBLIC.contains(ctx.path())) {
                  ctx.attribute(Requests.PRINCIPAL, auth.authenticate(Requests.bearer(ctx)));
                }
              });
          routes.get("/api/v1/health", ctx -> ctx.json(Map.of("status", "ok")));
          routes.post("/api/v1/auth/signup", authRoutes::signup);
          routes.post("/api/v1/auth/login", authRoutes::login);
          routes.post("/api/v1/auth/logout", authRoutes::logout);
          routes.get("/api/v1/auth/devices", authRoutes::devices);
          routes.delete("/api/v1/auth/devices/{deviceId}", authRoutes::revokeDevice);
          routes.get("/api/v1/account", authRoutes::account);

          routes.post("/api/v1/files", fileRoutes::upload);
          routes.get("/api/v1/files/{fileId}", fileRoutes::download);
          routes.get("/api/v1/files/{fileId}/metadata", fileRoutes::metadata);
          routes.get("/api/v1/files/{fileId}/children", fileRoutes::children);
          routes.patch("/api/v1/files/{fileId}", fileRoutes::move);
          routes.delete("/api/v1/files/{fileId}", fileRoutes::delete);
          routes.post("/api/v1/folders", fileRoutes::createFolder);
          routes.get("/api/v1/lookup", fileRoutes::lookup);

          routes.exception(Exception.class, Problems::handle);
          routes.error(404, ctx -> unlessProblem(ctx, 404, "No such endpoint: " + ctx.path()));
          routes.error(405, ctx -> unlessProblem(ctx, 405, "Method not allowed here."));
        });
  }

  private static void unlessProblem(Context ctx, int status, String detail) {
    String type = ctx.res().getContentType();
    if (type == null || !type.startsWith(Problems.CONTENT_TYPE)) {
      Problems.write(ctx, status, Problems.slug(status), detail);
    }
  }
}
