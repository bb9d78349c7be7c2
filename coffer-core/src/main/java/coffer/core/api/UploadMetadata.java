package coffer.core.api;

/**
 * The {@code fileMetadata} part of {@code POST /files}: where the file goes, either {@code path} or
 * {@code parentId} + {@code name}. An existing file at that place gets a new revision only when
 * {@code overwrite} is true or {@code baseRevision} names its current revision; otherwise the
 * upload is a conflict, never a silent overwrite.
 */
public record UploadMetadata(
    String path, String parentId, String name, Boolean overwrite, String baseRevision) {}
