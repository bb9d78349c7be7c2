package coffer.core.api;

import java.util.List;

/**
 * Starts (or resumes) a chunked upload: where the file goes, as in {@link UploadMetadata}, and the
 * file's chunks in order. The server answers with the chunks it still needs from this user.
 */
public record UploadRequest(
    String path,
    String parentId,
    String name,
    Boolean overwrite,
    String baseRevision,
    List<ChunkInfo> chunks) {

  /** The target part of the request, as the simple upload names it. */
  public UploadMetadata target() {
    return new UploadMetadata(path, parentId, name, overwrite, baseRevision);
  }
}
