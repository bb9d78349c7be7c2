package coffer.server.http;

import coffer.core.api.CreateLinkRequest;
import coffer.core.api.LinkInfo;
import coffer.server.blob.BlobStore;
import coffer.server.files.LinkService;
import io.javalin.http.Context;

/**
 * Public links: made, listed and revoked by a signed-in owner ({@code /files/{id}/links}, {@code
 * DELETE /links/{id}}), visited by anyone who holds a token ({@code GET /links/{token}…}, no bearer
 * token).
 */
final class LinkRoutes {

  /**
   * The header a visitor sends a link's password in; never a query parameter, which gets logged.
   */
  static final String PASSWORD_HEADER = "X-Coffer-Link-Password";

  private final LinkService links;
  private final BlobStore blobs;

  LinkRoutes(LinkService links, BlobStore blobs) {
    this.links = links;
    this.blobs = blobs;
  }

  /**
   * {@code POST /files/{id}/links}: an optional body with {@code expiresAt} and {@code password}.
   */
  void create(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    CreateLinkRequest request =
        body.length == 0
            ? new CreateLinkRequest(null, null)
            : Json.read(body, CreateLinkRequest.class);
    LinkInfo link =
        links.create(
            Requests.principal(ctx),
            ctx.pathParam("fileId"),
            request.expiresAt(),
            request.password());
    ctx.status(201).json(link.withUrl(origin(ctx) + link.url()));
  }

  void list(Context ctx) {
    ctx.json(links.list(Requests.principal(ctx), ctx.pathParam("fileId")));
  }

  void revoke(Context ctx) {
    links.revoke(Requests.principal(ctx), ctx.pathParam("linkId"));
    ctx.status(204);
  }

  /** {@code GET /links/{token}}: the linked item, or with {@code ?folder=} a folder inside it. */
  void open(Context ctx) {
    LinkService.Visit visit = visit(ctx);
    ctx.json(links.open(visit, ctx.queryParam("folder")));
  }

  /** {@code GET /links/{token}/content}: the linked file's bytes. */
  void content(Context ctx) {
    LinkService.Visit visit = visit(ctx);
    Downloads.send(ctx, blobs, links.content(visit, null));
  }

  /** {@code GET /links/{token}/files/{fileId}}: a file inside a linked folder. */
  void file(Context ctx) {
    LinkService.Visit visit = visit(ctx);
    Downloads.send(ctx, blobs, links.content(visit, ctx.pathParam("fileId")));
  }

  /**
   * The visit behind a request. Its answer, whatever it is, must not be cached by a shared cache,
   * nor the link's URL (which is its secret) handed on as a referrer by a page it leads to.
   */
  private static LinkService.Visit visit(Context ctx) {
    ctx.header("Cache-Control", "private, no-store");
    ctx.header("Referrer-Policy", "no-referrer");
    return new LinkService.Visit(
        ctx.pathParam("token"), ctx.header(PASSWORD_HEADER), Requests.client(ctx));
  }

  /** {@code scheme://host[:port]} as the caller reached this server. */
  private static String origin(Context ctx) {
    String host = ctx.host();
    if (host == null || host.isBlank()) {
      host = ctx.req().getServerName() + ":" + ctx.req().getServerPort();
    }
    return ctx.scheme() + "://" + host;
  }
}
