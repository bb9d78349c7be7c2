package coffer.server.http;

import coffer.core.api.FileMetadata;
import coffer.core.api.FolderListing;
import coffer.core.error.ConflictException;
import coffer.core.error.NotFoundException;
import coffer.server.auth.Principal;
import coffer.server.blob.BlobStore;
import coffer.server.files.FileContent;
import coffer.server.files.FileService;
import coffer.server.files.ManifestInputStream;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A folder and everything under it as one zip, streamed while it is made: nothing is staged on the
 * server, and the first bytes leave at once however large the folder is. Each file is the revision
 * current when the walk reaches it, every chunk verified on the way, as for single downloads.
 */
final class ZipDownloads {
  private ZipDownloads() {}

  static void send(Context ctx, FileService files, BlobStore blobs, Principal p, String folderId)
      throws IOException {
    FolderListing top = files.list(p, folderId);
    String name = top.folder().parentId() == null ? "Coffer" : top.folder().name();
    ctx.header("Content-Disposition", Downloads.disposition(name + ".zip"));
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType("application/zip");
    OutputStream out = ctx.res().getOutputStream();
    ZipOutputStream zip = new ZipOutputStream(out);
    // Fast over small: most of what people keep is already compressed.
    zip.setLevel(Deflater.BEST_SPEED);
    // Finished (central directory written) only when everything went in: a failure part-way,
    // such as a chunk that fails verification, leaves a zip every tool rejects rather than a
    // valid-looking one with a file cut short.
    add(zip, files, blobs, p, top, "");
    zip.finish();
    out.flush();
  }

  private static void add(
      ZipOutputStream zip,
      FileService files,
      BlobStore blobs,
      Principal p,
      FolderListing folder,
      String prefix)
      throws IOException {
    if (!prefix.isEmpty() && folder.children().isEmpty()) {
      zip.putNextEntry(new ZipEntry(prefix));
      zip.closeEntry();
    }
    for (FileMetadata child : folder.children()) {
      String path = prefix + child.name();
      FolderListing inner = null;
      FileContent content = null;
      try {
        if ("folder".equals(child.kind())) {
          inner = files.list(p, child.id());
        } else {
          content = files.content(p, child.id());
        }
      } catch (NotFoundException | ConflictException gone) {
        continue; // deleted, or replaced by a folder, while the walk went on: not part of it
      }
      if (inner != null) {
        add(zip, files, blobs, p, inner, path + "/");
        continue;
      }
      ZipEntry entry = new ZipEntry(path);
      entry.setLastModifiedTime(java.nio.file.attribute.FileTime.from(child.modified()));
      zip.putNextEntry(entry);
      try (InputStream in =
          new ManifestInputStream(blobs, content.manifest(), 0, content.metadata().size())) {
        in.transferTo(zip);
      }
      zip.closeEntry();
    }
  }
}
