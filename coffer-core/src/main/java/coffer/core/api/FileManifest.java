package coffer.core.api;

import java.util.List;

/** A file's current revision as chunks, each with a presigned GET URL, for delta downloads. */
public record FileManifest(FileMetadata file, List<ChunkTransfer> chunks) {}
