package coffer.core.api;

import java.time.Instant;

/** One version of a file: an immutable revision. {@code current} marks the one the file shows. */
public record VersionInfo(
    String revision,
    long size,
    String contentHash,
    Instant created,
    String deviceId,
    boolean current) {}
