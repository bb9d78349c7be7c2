package coffer.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web UI: a handful of static files (HTML, CSS, JavaScript modules) read from the jar once at
 * start and served from memory with an ETag, so a reload costs a 304. The UI keeps its token in the
 * page, never in a cookie, so no request it makes can be forged by another site; the
 * Content-Security-Policy lets only these files run.
 */
final class WebRoutes {

  /** What the UI is made of: name under {@code /web/} in the jar → content type. */
  private static final Map<String, String> FILES = new LinkedHashMap<>();

  static {
    FILES.put("index.html", "text/html; charset=utf-8");
    FILES.put("app.css", "text/css; charset=utf-8");
    FILES.put("app.js", "text/javascript; charset=utf-8");
    FILES.put("api.js", "text/javascript; charset=utf-8");
    FILES.put("chunker.js", "text/javascript; charset=utf-8");
    FILES.put("uploads.js", "text/javascript; charset=utf-8");
    FILES.put("icon.svg", "image/svg+xml");
  }

  private final String csp;

  private record Asset(byte[] bytes, String type, String etag) {}

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  /**
   * {@code blobOrigin}: where presigned chunk URLs point when that is not the server itself (the S3
   * endpoint), or null. The page may connect to the server and there, nowhere else.
   */
  WebRoutes(String blobOrigin) {
    this.csp =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " connect-src 'self'"
            + (blobOrigin == null ? "" : " " + blobOrigin)
            + "; font-src 'self'; manifest-src 'self';"
            + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    for (Map.Entry<String, String> file : FILES.entrySet()) {
      byte[] bytes = read(file.getKey());
      assets.put(file.getKey(), new Asset(bytes, file.getValue(), etag(bytes)));
    }
  }

  /** {@code GET /}: the page; {@code GET /ui/{name}}: one of its files. */
  void index(Context ctx) {
    send(ctx, assets.get("index.html"));
  }

  void asset(Context ctx) {
    Asset asset = assets.get(ctx.pathParam("name"));
    if (asset == null || "index.html".equals(ctx.pathParam("name"))) {
      Problems.write(ctx, 404, "not-found", "No such file: " + ctx.path());
      return;
    }
    send(ctx, asset);
  }

  private void send(Context ctx, Asset asset) {
    ctx.header("Content-Security-Policy", csp);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    // Revalidated on every load: a new server version is picked up at once, an unchanged file
    // costs a 304.
    ctx.header("Cache-Control", "no-cache");
    ctx.header("ETag", asset.etag());
    String match = ctx.header("If-None-Match");
    if (asset.etag().equals(match)) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.type());
    ctx.result(asset.bytes());
  }

  private static byte[] read(String name) {
    try (InputStream in = WebRoutes.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the web UI file " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
