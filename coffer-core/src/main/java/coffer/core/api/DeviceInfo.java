package coffer.core.api;

import java.time.Instant;

/**
 * A signed-in device as listed to its owner. {@code syncedAt} is when it last read the change feed
 * and {@code behind} how many changes it has not read yet (both null before it first did).
 */
public record DeviceInfo(
    String id,
    String name,
    Instant createdAt,
    Instant lastUsedAt,
    boolean current,
    Instant syncedAt,
    Long behind) {}
