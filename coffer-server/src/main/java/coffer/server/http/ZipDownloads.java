package coffer.server.http;

import coffer.core.api.FileMetadata;
import coffer.core.api.FolderListing;
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
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      // Fast over small: most of what people keep is already compressed.
      zip.setLevel(Deflater.BEST_SPEED);
      add(zip, files, blobs, p, top, "");
    }
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
      if ("folder".equals(child.kind())) {
        add(zip, files, blobs, p, files.list(p, child.id()), path + "/");
        continue;
      }
      FileContent content = files.content(p, child.id());
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
