package coffer.server.http;

import coffer.core.api.ChunkInfo;
import coffer.core.api.Contents;
import coffer.core.api.FileMetadata;
import coffer.core.api.UploadRequest;
import coffer.core.error.CofferException;
import coffer.core.error.ForbiddenException;
import coffer.core.hash.Sha256;
import coffer.server.blob.UrlSigner;
import coffer.server.files.UploadService;
import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Chunked uploads ({@code /api/v1/uploads}), file manifests, and the presigned chunk endpoint
 * ({@code /api/v1/blobs/{hash}}), which takes no token: its signature is the authorization.
 */
final class UploadRoutes {

  private static final long MAX_MANIFEST_BYTES = 64L << 20;
  private static final long MAX_CONTENTS_REQUEST_BYTES = 1L << 20;

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

  /**
   * {@code POST /contents}: many small files whole, one frame each in the order asked (see {@link
   * Contents}). A refusal of the whole request (a malformed body, too many files) is a plain
   * problem answer; once frames flow, a file that cannot be sent gets a problem frame of its own.
   */
  void contents(Context ctx) throws IOException {
    Contents.Request request =
        Json.read(
            new LimitedInputStream(ctx.req().getInputStream(), MAX_CONTENTS_REQUEST_BYTES),
            Contents.Request.class);
    ctx.contentType("application/octet-stream");
    ctx.header("X-Content-Type-Options", "nosniff");
    OutputStream out = new BufferedOutputStream(ctx.res().getOutputStream(), 64 << 10);
    uploads.contents(
        Requests.principal(ctx),
        request.files(),
        new UploadService.ContentSink() {
          @Override
          public void file(FileMetadata file, List<ChunkInfo> chunks, byte[] data)
              throws IOException {
            frame(out, Contents.Header.of(file, chunks), data);
          }

          @Override
          public void refused(String id, CofferException problem) throws IOException {
            frame(out, Contents.Header.refused(id, Problems.of(problem, "/api/v1/contents")), null);
          }
        });
    out.flush();
  }

  private static void frame(OutputStream out, Contents.Header header, byte[] data)
      throws IOException {
    out.write(Json.MAPPER.writeValueAsBytes(header));
    out.write('\n');
    if (data != null) {
      out.write(data);
    }
  }

  void putChunk(Context ctx) throws IOException {
    Signed signed = verified(ctx, "PUT");
    long declared = ctx.req().getContentLengthLong();
    if (declared >= 0 && declared != signed.length()) {
      throw new coffer.core.error.BadRequestException(
          "length-mismatch",
          "The body has " + declared + " bytes; the URL was signed for " + signed.length() + ".");
    }
    uploads.receive(
        signed.user(),
        signed.hash(),
        signed.length(),
        new SignedLengthBody(ctx.req().getInputStream(), signed.length()));
    ctx.status(204);
  }

  void getChunk(Context ctx) {
    Signed signed = verified(ctx, "GET");
    byte[] data = uploads.chunk(signed.user(), signed.hash());
    ctx.header("Content-Disposition", "attachment");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "private, max-age=31536000, immutable");
    ctx.contentType("application/octet-stream");
    ctx.result(data);
  }

  private record Signed(Sha256 hash, int length, String user) {}

  /**
   * A chunk's body as the URL signed it: once the signed number of bytes is read, the body must
   * end. Without a Content-Length (a chunked body) nothing else holds a sender to the length, and a
   * body that goes on is refused rather than cut silently.
   */
  private static final class SignedLengthBody extends java.io.FilterInputStream {
    private long left;

    SignedLengthBody(java.io.InputStream in, long length) {
      super(in);
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (left == 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n > 0) {
        left -= n;
        if (left == 0 && in.read() >= 0) {
          throw new coffer.core.error.BadRequestException(
              "length-mismatch", "The body is longer than the length the URL was signed for.");
        }
      }
      return n;
    }
  }

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
