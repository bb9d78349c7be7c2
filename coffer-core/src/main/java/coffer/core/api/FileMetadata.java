package coffer.core.api;

import java.time.Instant;

/**
 * A file or folder as the API shows it. {@code kind} is {@code file} or {@code folder}; {@code
 * size}, {@code contentHash} and {@code revision} describe a file's current revision.
 */
public record FileMetadata(
    String id,
    String kind,
    String name,
    String path,
    String parentId,
    long size,
    String contentHash,
    String revision,
    Instant created,
    Instant modified) {}
