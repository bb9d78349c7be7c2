package coffer.server.http;

import coffer.core.api.ShareRequest;
import coffer.server.auth.AuthService;
import coffer.server.blob.BlobStore;
import coffer.server.blob.UrlSigner;
import coffer.server.files.BatchService;
import coffer.server.files.ContentIngest;
import coffer.server.files.FileService;
import coffer.server.files.LinkService;
import coffer.server.files.ShareService;
import coffer.server.files.TrashService;
import coffer.server.files.UploadService;
import coffer.server.files.VersionService;
import coffer.server.sync.ChangeService;
import coffer.server.sync.DeviceService;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP edge: routes, the authentication filter and error mapping. Handlers parse the request,
 * call one service method and map its result; everything else lives in the services.
 */
public final class HttpApi {

  private static final Set<String> PUBLIC =
      Set.of("/api/v1/auth/signup", "/api/v1/auth/login", "/api/v1/health");

  /** Presigned chunk URLs carry their own signature instead of a token. */
  private static final String BLOBS = "/api/v1/blobs/";

  /** Public links are visited without a token: the link's own token is the authorization. */
  private static final String LINKS = "/api/v1/links/";

  private static final String STREAM = "/api/v1/changes/stream";

  /** How long a stopping server lets requests in flight finish. */
  public static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(30);

  private HttpApi() {}

  /** What the edge calls. */
  public record Services(
      AuthService auth,
      FileService files,
      UploadService uploads,
      ContentIngest ingest,
      BlobStore blobs,
      UrlSigner signer,
      ChangeService changes,
      DeviceService devices,
      VersionService versions,
      TrashService trash,
      ShareService shares,
      BatchService batches,
      LinkService links,
      java.util.function.IntSupplier waiting,
      long maxUploadBytes,
      coffer.server.ops.ServerMetrics metrics,
      coffer.server.ops.Readiness readiness,
      Limits limits,
      coffer.server.auth.AdminService admin,
      String blobOrigin) {}

  /**
   * Request limits: per user for requests with a token, per client address for those without
   * (presigned chunk transfers, which carry their own signature, count against neither).
   */
  public record Limits(
      coffer.server.ops.RateLimiter limiter,
      coffer.server.ops.RateLimit perUser,
      coffer.server.ops.RateLimit perAddress) {

    void check(String key, coffer.server.ops.RateLimit limit) {
      if (limit == null) {
        return;
      }
      limiter
          .take(key, limit)
          .ifPresent(
              wait -> {
                throw new coffer.core.error.TooManyRequestsException(
                    "rate-limited",
                    "Too many requests; slow down and try again after the Retry-After time.",
                    wait);
              });
    }
  }

  /**
   * Where the server listens, with what certificate when it serves HTTPS (null: HTTP), and which
   * proxies in front of it it believes about the client's address.
   */
  public record Listener(
      String host, int port, java.security.KeyStore tls, java.util.Set<String> trustedProxies) {}

  /** Creates (but does not start) the server. */
  public static Javalin create(Services services, Listener listener) {
    AuthService auth = services.auth();
    AuthRoutes authRoutes = new AuthRoutes(auth);
    FileRoutes fileRoutes =
        new FileRoutes(
            services.files(), services.ingest(), services.blobs(), services.maxUploadBytes());
    UploadRoutes uploadRoutes = new UploadRoutes(services.uploads(), services.signer());
    ChangeRoutes changeRoutes = new ChangeRoutes(services.changes());
    VersionService versions = services.versions();
    TrashService trash = services.trash();
    BatchRoutes batchRoutes = new BatchRoutes(services.batches());
    LinkRoutes linkRoutes = new LinkRoutes(services.links(), services.blobs());
    OperationsRoutes operations = new OperationsRoutes(services.metrics(), services.readiness());
    java.util.concurrent.atomic.AtomicReference<org.eclipse.jetty.server.Server> jetty =
        new java.util.concurrent.atomic.AtomicReference<>();
    services
        .metrics()
        .gauge(
            "coffer.connections.open",
            "HTTP connections open on this server",
            () -> openConnections(jetty.get()));
    services
        .metrics()
        .gauge("coffer.longpolls.waiting", "Long-polls and streams parked", services.waiting());
    return Javalin.create(
        config -> {
          config.jetty.modifyServer(
              server -> {
                jetty.set(server);
                server.setStopTimeout(STOP_GRACE.toMillis());
              });
          config.requestLogger.http(operations::finished);
          if (listener.tls() != null) {
            config.jetty.addConnector((server, http) -> httpsConnector(server, http, listener));
          }
          config.concurrency.useVirtualThreads = true;
          config.http.compressionStrategy = CompressionStrategy.NONE;
          config.http.maxRequestSize = 1024 * 1024;
          config.startup.showJavalinBanner = false;
          // Responses use the server's own mapper (ISO-8601 times, nulls left out), not Javalin's
          // default one, which writes times as numbers.
          config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
          config.router.ignoreTrailingSlashes = true;

          var routes = config.routes;
          java.util.Set<String> trusted = listener.trustedProxies();
          if (!trusted.isEmpty()) {
            routes.before(ctx -> ctx.attribute(Requests.CLIENT, Requests.clientOf(ctx, trusted)));
          }
          routes.before(operations::requestId);
          WebRoutes web = new WebRoutes(services.blobOrigin());
          routes.get("/", web::index);
          routes.get("/ui/{name}", web::asset);
          routes.get("/healthz", operations::health);
          routes.get("/readyz", operations::ready);
          routes.get("/metrics", operations::metrics);
          routes.before(
              "/api/v1/*",
              ctx -> {
                String path = ctx.path().replaceAll("/+$", "");
                Limits limits = services.limits();
                if (!PUBLIC.contains(path) && !path.startsWith(BLOBS) && !isLinkVisit(ctx, path)) {
                  coffer.server.auth.Principal principal;
                  try {
                    principal = auth.authenticate(Requests.bearer(ctx));
                  } catch (coffer.core.error.UnauthenticatedException wrong) {
                    // A wrong token costs a database lookup: those count against the address,
                    // so guessing tokens, or a flood of stale ones, is slowed like any anonymous
                    // caller.
                    limits.check("ip:" + Requests.client(ctx), limits.perAddress());
                    throw wrong;
                  }
                  ctx.attribute(Requests.PRINCIPAL, principal);
                  limits.check("user:" + principal.userId(), limits.perUser());
                } else if (!path.startsWith(BLOBS)) {
                  limits.check("ip:" + Requests.client(ctx), limits.perAddress());
                }
              });
          // How many long-polls and streams are parked: for operators and the scenario benchmarks.
          routes.get(
              "/api/v1/health",
              ctx -> ctx.json(Map.of("status", "ok", "waiting", services.waiting().getAsInt())));
          routes.post("/api/v1/auth/signup", authRoutes::signup);
          routes.post("/api/v1/auth/login", authRoutes::login);
          routes.post("/api/v1/auth/logout", authRoutes::logout);
          routes.get(
              "/api/v1/auth/devices",
              ctx -> ctx.json(services.devices().devices(Requests.principal(ctx))));
          routes.delete("/api/v1/auth/devices/{deviceId}", authRoutes::revokeDevice);
          routes.get("/api/v1/account", authRoutes::account);
          coffer.server.auth.AdminService admin = services.admin();
          routes.get(
              "/api/v1/admin/users",
              ctx ->
                  ctx.json(
                      admin.users(
                          Requests.principal(ctx),
                          ctx.queryParam("after"),
                          Requests.number(ctx, "limit", 100))));
          routes.post("/api/v1/admin/scrub", ctx -> ctx.json(admin.scrub(Requests.principal(ctx))));
          routes.post("/api/v1/admin/fsck", ctx -> ctx.json(admin.fsck(Requests.principal(ctx))));
          routes.post(
              "/api/v1/admin/backup",
              ctx ->
                  ctx.json(
                      admin.backup(
                          Requests.principal(ctx),
                          Json.read(ctx.bodyAsBytes(), coffer.core.api.BackupRequest.class))));
          routes.get(
              "/api/v1/account/usage", ctx -> ctx.json(admin.usage(Requests.principal(ctx))));
          routes.get(
              "/api/v1/admin/users/{username}/quota",
              ctx -> ctx.json(admin.usage(Requests.principal(ctx), ctx.pathParam("username"))));
          routes.put(
              "/api/v1/admin/users/{username}/quota",
              ctx ->
                  ctx.json(
                      admin.setQuota(
                          Requests.principal(ctx),
                          ctx.pathParam("username"),
                          Json.read(ctx.bodyAsBytes(), coffer.core.api.QuotaRequest.class))));
          routes.delete(
              "/api/v1/admin/users/{username}/quota",
              ctx ->
                  ctx.json(admin.removeQuota(Requests.principal(ctx), ctx.pathParam("username"))));
          routes.get(
              "/api/v1/admin/users/{username}/devices",
              ctx -> ctx.json(admin.devices(Requests.principal(ctx), ctx.pathParam("username"))));
          routes.delete(
              "/api/v1/admin/users/{username}/devices/{deviceId}",
              ctx -> {
                admin.revokeDevice(
                    Requests.principal(ctx), ctx.pathParam("username"), ctx.pathParam("deviceId"));
                ctx.status(204);
              });

          routes.post("/api/v1/files", fileRoutes::upload);
          routes.get("/api/v1/files/{fileId}", fileRoutes::download);
          routes.get("/api/v1/files/{fileId}/metadata", fileRoutes::metadata);
          routes.get("/api/v1/files/{fileId}/zip", fileRoutes::zip);
          routes.get("/api/v1/files/{fileId}/children", fileRoutes::children);
          routes.patch("/api/v1/files/{fileId}", fileRoutes::move);
          routes.delete("/api/v1/files/{fileId}", fileRoutes::delete);
          routes.post("/api/v1/folders", fileRoutes::createFolder);
          routes.post("/api/v1/batch", batchRoutes::apply);
          routes.get("/api/v1/lookup", fileRoutes::lookup);

          routes.post("/api/v1/uploads", uploadRoutes::begin);
          routes.post("/api/v1/uploads/{uploadId}/commit", uploadRoutes::commit);
          routes.get("/api/v1/files/{fileId}/manifest", uploadRoutes::manifest);
          routes.post("/api/v1/contents", uploadRoutes::contents);
          routes.put("/api/v1/blobs/{hash}", uploadRoutes::putChunk);
          routes.get("/api/v1/changes", changeRoutes::list);
          routes.get("/api/v1/changes/wait", changeRoutes::await);
          routes.get("/api/v1/changes/latest", changeRoutes::latest);
          routes.wsBeforeUpgrade(
              STREAM,
              ctx -> {
                Requests.requireSameOrigin(ctx);
                ctx.attribute(Requests.PRINCIPAL, auth.authenticate(Requests.bearer(ctx)));
              });
          routes.ws(STREAM, changeRoutes::stream);
          routes.get("/api/v1/files/{fileId}/changes", changeRoutes::history);
          routes.get("/api/v1/trash", ctx -> ctx.json(trash.list(Requests.principal(ctx))));
          routes.post(
              "/api/v1/trash/{fileId}/restore",
              ctx -> ctx.json(trash.restore(Requests.principal(ctx), ctx.pathParam("fileId"))));
          routes.delete(
              "/api/v1/trash/{fileId}",
              ctx -> {
                trash.purge(Requests.principal(ctx), ctx.pathParam("fileId"));
                ctx.status(204);
              });
          routes.delete(
              "/api/v1/trash",
              ctx -> ctx.json(java.util.Map.of("purged", trash.purgeAll(Requests.principal(ctx)))));
          routes.get(
              "/api/v1/files/{fileId}/versions",
              ctx -> ctx.json(versions.versions(Requests.principal(ctx), ctx.pathParam("fileId"))));
          routes.post(
              "/api/v1/files/{fileId}/versions/{revision}/restore",
              ctx ->
                  ctx.status(201)
                      .json(
                          versions.restore(
                              Requests.principal(ctx),
                              ctx.pathParam("fileId"),
                              ctx.pathParam("revision"))));
          routes.get("/api/v1/blobs/{hash}", uploadRoutes::getChunk);
          routes.post("/api/v1/files/{fileId}/links", linkRoutes::create);
          routes.get("/api/v1/files/{fileId}/links", linkRoutes::list);
          routes.delete("/api/v1/links/{linkId}", linkRoutes::revoke);
          routes.get("/api/v1/links/{token}", linkRoutes::open);
          routes.get("/api/v1/links/{token}/content", linkRoutes::content);
          routes.get("/api/v1/links/{token}/files/{fileId}", linkRoutes::file);

          ShareService shares = services.shares();
          routes.post(
              "/api/v1/files/{fileId}/share",
              ctx ->
                  ctx.json(
                      shares.share(
                          Requests.principal(ctx),
                          ctx.pathParam("fileId"),
                          Json.read(ctx.bodyAsBytes(), ShareRequest.class))));
          routes.get(
              "/api/v1/files/{fileId}/share",
              ctx -> ctx.json(shares.shares(Requests.principal(ctx), ctx.pathParam("fileId"))));
          routes.delete(
              "/api/v1/files/{fileId}/share/{user}",
              ctx -> {
                shares.unshare(
                    Requests.principal(ctx), ctx.pathParam("fileId"), ctx.pathParam("user"));
                ctx.status(204);
              });
          routes.get(
              "/api/v1/shared-with-me",
              ctx -> ctx.json(shares.sharedWithMe(Requests.principal(ctx))));

          routes.exception(Exception.class, Problems::handle);
          // Javalin maps HttpResponseException (such as its 413 for an oversized body) itself, as
          // plain text, unless a handler is registered for that class specifically.
          routes.exception(HttpResponseException.class, Problems::handle);
          routes.error(404, ctx -> unlessProblem(ctx, 404, "No such endpoint: " + ctx.path()));
          routes.error(405, ctx -> unlessProblem(ctx, 405, "Method not allowed here."));
        });
  }

  /** HTTP/1.1 over TLS on the listener's address, with its key store. */
  private static org.eclipse.jetty.server.Connector httpsConnector(
      org.eclipse.jetty.server.Server server,
      org.eclipse.jetty.server.HttpConfiguration http,
      Listener listener) {
    org.eclipse.jetty.server.HttpConfiguration https =
        new org.eclipse.jetty.server.HttpConfiguration(http);
    // Clients may reach the server by address or by a name the certificate lacks (behind a
    // tunnel, say); certificate checking is theirs to do, not a reason to refuse them here.
    https.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
    org.eclipse.jetty.util.ssl.SslContextFactory.Server tls =
        new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
    tls.setKeyStore(listener.tls());
    tls.setKeyStorePassword(new String(coffer.server.ops.TlsKeys.PASSWORD));
    org.eclipse.jetty.server.ServerConnector connector =
        new org.eclipse.jetty.server.ServerConnector(
            server, tls, new org.eclipse.jetty.server.HttpConnectionFactory(https));
    connector.setHost(listener.host());
    connector.setPort(listener.port());
    return connector;
  }

  private static int openConnections(org.eclipse.jetty.server.Server server) {
    if (server == null) {
      return 0;
    }
    int open = 0;
    for (org.eclipse.jetty.server.Connector connector : server.getConnectors()) {
      open += connector.getConnectedEndPoints().size();
    }
    return open;
  }

  /** A visit to a public link: any GET under {@code /api/v1/links/}; revoking one needs a token. */
  private static boolean isLinkVisit(Context ctx, String path) {
    return path.startsWith(LINKS) && ctx.method() == HandlerType.GET;
  }

  private static void unlessProblem(Context ctx, int status, String detail) {
    String type = ctx.res().getContentType();
    if (type == null || !type.startsWith(Problems.CONTENT_TYPE)) {
      Problems.write(ctx, status, Problems.slug(status), detail);
    }
  }
}
