package coffer.core.api;

import java.time.Instant;

/** A signed-in device as listed to its owner. */
public record DeviceInfo(
    String id, String name, Instant createdAt, Instant lastUsedAt, boolean current) {}
