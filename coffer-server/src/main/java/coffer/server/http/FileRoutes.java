package coffer.server.http;

import coffer.core.api.CreateFolderRequest;
import coffer.core.api.MoveRequest;
import coffer.core.api.UploadMetadata;
import coffer.core.error.BadRequestException;
import coffer.core.error.TooLargeException;
import coffer.core.error.UnsupportedMediaTypeException;
import coffer.core.manifest.Manifest;
import coffer.server.blob.BlobStore;
import coffer.server.files.ContentIngest;
import coffer.server.files.FileService;
import io.javalin.http.Context;
import java.io.IOException;

/** The seed's file API and folders: {@code /api/v1/files/*}, {@code /api/v1/folders}. */
final class FileRoutes {

  private static final int MAX_METADATA_BYTES = 64 * 1024;

  private final FileService files;
  private final ContentIngest ingest;
  private final BlobStore blobs;
  private final long maxUploadBytes;

  FileRoutes(FileService files, ContentIngest ingest, BlobStore blobs, long maxUploadBytes) {
    this.files = files;
    this.ingest = ingest;
    this.blobs = blobs;
    this.maxUploadBytes = maxUploadBytes;
  }

  /** {@code POST /files}: multipart with a {@code file} part and a {@code fileMetadata} part. */
  void upload(Context ctx) throws IOException {
    String boundary = MultipartReader.boundary(ctx.contentType());
    if (boundary == null) {
      throw new UnsupportedMediaTypeException(
          "unsupported-media-type",
          "Upload with Content-Type multipart/form-data: a 'file' part and a 'fileMetadata' part.");
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxUploadBytes) {
      throw tooLarge();
    }
    MultipartReader reader =
        new MultipartReader(
            new LimitedInputStream(ctx.req().getInputStream(), maxUploadBytes), boundary);
    UploadMetadata metadata = null;
    Manifest manifest = null;
    String filename = null;
    for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
      switch (part.name()) {
        case "fileMetadata" ->
            metadata = Json.read(part.body().readNBytes(MAX_METADATA_BYTES), UploadMetadata.class);
        case "file" -> {
          if (manifest != null) {
            throw new BadRequestException("too-many-files", "Send one 'file' part per upload.");
          }
          filename = part.filename();
          manifest = ingest.ingest(part.body());
        }
        default -> {
          // Unknown parts are skipped so that clients may send more than this server reads.
        }
      }
    }
    if (manifest == null) {
      throw new BadRequestException("missing-file", "The upload has no 'file' part.");
    }
    if (metadata == null && filename != null) {
      metadata = new UploadMetadata(null, FileService.ROOT_ALIAS, filename, false, null);
    }
    ctx.status(201).json(files.commitUpload(Requests.principal(ctx), metadata, manifest));
  }

  /** {@code GET /files/{id}}: the content, with its metadata in headers; honours one Range. */
  void download(Context ctx) {
    Downloads.send(
        ctx,
        blobs,
        files.content(
            Requests.principal(ctx), ctx.pathParam("fileId"), ctx.queryParam("revision")));
  }

  /** {@code GET /files/{id}/zip}: a folder and everything under it, as a streamed zip. */
  void zip(Context ctx) throws IOException {
    ZipDownloads.send(ctx, files, blobs, Requests.principal(ctx), ctx.pathParam("fileId"));
  }

  void metadata(Context ctx) {
    ctx.json(files.metadata(Requests.principal(ctx), ctx.pathParam("fileId")));
  }

  void children(Context ctx) {
    ctx.json(files.list(Requests.principal(ctx), ctx.pathParam("fileId")));
  }

  void lookup(Context ctx) {
    String path = ctx.queryParam("path");
    if (path == null) {
      throw new BadRequestException("invalid-path", "Give the path to look up: ?path=/a/b.");
    }
    ctx.json(files.lookup(Requests.principal(ctx), path));
  }

  void move(Context ctx) {
    ctx.json(
        files.move(
            Requests.principal(ctx),
            ctx.pathParam("fileId"),
            Json.read(ctx.bodyAsBytes(), MoveRequest.class)));
  }

  void delete(Context ctx) {
    String baseSeq = ctx.queryParam("baseSeq");
    files.delete(
        Requests.principal(ctx),
        ctx.pathParam("fileId"),
        ctx.queryParam("baseRevision"),
        baseSeq == null ? null : Requests.number(baseSeq, "baseSeq"));
    ctx.status(204);
  }

  void createFolder(Context ctx) {
    ctx.status(201)
        .json(
            files.createFolder(
                Requests.principal(ctx), Json.read(ctx.bodyAsBytes(), CreateFolderRequest.class)));
  }

  private TooLargeException tooLarge() {
    return new TooLargeException(
        "too-large", "The upload exceeds this server's limit of " + maxUploadBytes + " bytes.");
  }
}
