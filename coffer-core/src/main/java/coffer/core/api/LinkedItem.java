package coffer.core.api;

import java.time.Instant;

/**
 * A file or folder as a public link shows it. {@code path} starts at the linked item ({@code /} for
 * a linked folder itself), and {@code parentId} is null for the linked item: nothing outside it is
 * shown.
 */
public record LinkedItem(
    String id,
    String kind,
    String name,
    String path,
    String parentId,
    long size,
    String contentHash,
    Instant modified) {}
