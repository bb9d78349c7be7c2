package coffer.server.http;

import coffer.core.api.UploadRequest;
import coffer.core.error.ForbiddenException;
import coffer.core.hash.Sha256;
import coffer.server.blob.UrlSigner;
import coffer.server.files.UploadService;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Chunked uploads ({@code /api/v1/uploads}), file manifests, and the presigned chunk endpoint
 * ({@code /api/v1/blobs/{hash}}), which takes no token: its signature is the authorization.
 */
final class UploadRoutes {

  private static final long MAX_MANIFEST_BYTES = 64L << 20;

  private final UploadService uploads;
  private final UrlSigner signer;

  UploadRoutes(UploadService uploads, UrlSigner signer) {
    this.uploads = uploads;
    this.signer = signer;
  }

  void begin(Context ctx) throws IOException {
    UploadRequest request =
        Json.read(
            new LimitedInputStream(ctx.req().getInputStream(), MAX_MANIFEST_BYTES),
            UploadRequest.class);
    ctx.status(201).json(uploads.begin(Requests.principal(ctx), request));
  }

  void commit(Context ctx) {
    ctx.status(201).json(uploads.commit(Requests.principal(ctx), ctx.pathParam("uploadId")));
  }

  void manifest(Context ctx) {
    ctx.json(
        uploads.manifest(
            Requests.principal(ctx), ctx.pathParam("fileId"), ctx.queryParam("revision")));
  }

  void putChunk(Context ctx) throws IOException {
    Signed signed = verified(ctx, "PUT");
    long declared = ctx.req().getContentLengthLong();
    if (declared >= 0 && declared != signed.length()) {
      throw new coffer.core.error.BadRequestException(
          "length-mismatch",
          "The body has " + declared + " bytes; the URL was signed for " + signed.length() + ".");
    }
    uploads.receive(signed.user(), signed.hash(), signed.length(), ctx.req().getInputStream());
    ctx.status(204);
  }

  void getChunk(Context ctx) {
    Signed signed = verified(ctx, "GET");
    byte[] data = uploads.chunk(signed.user(), signed.hash());
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "private, max-age=31536000, immutable");
    ctx.contentType("application/octet-stream");
    ctx.result(data);
  }

  private record Signed(Sha256 hash, int length, String user) {}

  /** Any tampering, including unparsable parameters, is the same 403 as a wrong signature. */
  private Signed verified(Context ctx, String method) {
    Sha256 hash;
    int length;
    long expires;
    try {
      hash = Sha256.parse(ctx.pathParam("hash"));
      length = Integer.parseInt(String.valueOf(ctx.queryParam("length")));
      expires = Long.parseLong(String.valueOf(ctx.queryParam("expires")));
    } catch (RuntimeException e) {
      throw new ForbiddenException(
          "invalid-signature",
          "This link is invalid or has expired; ask the server for a new one.");
    }
    String user = ctx.queryParam("user");
    signer.verify(method, hash, length, user, expires, ctx.queryParam("signature"));
    return new Signed(hash, length, user);
  }
}
