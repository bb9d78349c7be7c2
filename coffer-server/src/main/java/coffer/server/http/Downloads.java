package coffer.server.http;

import coffer.core.api.FileMetadata;
import coffer.server.blob.BlobStore;
import coffer.server.files.FileContent;
import coffer.server.files.ManifestInputStream;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Sends a file's content: as an attachment that browsers must not sniff, with its metadata in
 * headers, honouring one {@code Range}. Every download goes through here, whether its caller signed
 * in or came through a public link.
 */
final class Downloads {
  private Downloads() {}

  static void send(Context ctx, BlobStore blobs, FileContent content) {
    FileMetadata meta = content.metadata();
    long size = meta.size();
    ByteRange range = ByteRange.parse(ctx.header("Range"), size);
    if (range != null && !range.satisfiable()) {
      ctx.header("Content-Range", "bytes */" + size);
      Problems.write(ctx, 416, "range-not-satisfiable", "The range lies outside the file.");
      return;
    }
    long start = range == null ? 0 : range.start();
    long length = range == null ? size : range.length();
    // Opened before any header is set: a missing or corrupt first chunk fails as a clean 500.
    ManifestInputStream body = new ManifestInputStream(blobs, content.manifest(), start, length);
    ctx.header("Content-Disposition", disposition(meta.name()));
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Accept-Ranges", "bytes");
    ctx.header("ETag", "\"" + meta.contentHash() + "\"");
    ctx.header("X-Coffer-Id", meta.id());
    ctx.header("X-Coffer-Revision", meta.revision());
    ctx.header("X-Coffer-Content-Hash", meta.contentHash());
    ctx.header("X-Coffer-Size", Long.toString(size));
    ctx.header("X-Coffer-Path", URLEncoder.encode(meta.path(), StandardCharsets.UTF_8));
    ctx.contentType("application/octet-stream");
    ctx.header("Content-Length", Long.toString(length));
    if (range != null) {
      ctx.status(206);
      ctx.header("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
    }
    ctx.result(body);
  }

  static String disposition(String name) {
    String ascii = name.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }
}
