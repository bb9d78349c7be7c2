package coffer.core.api;

import java.time.Instant;

/**
 * Something shared with the caller. A shared folder is mounted in their tree at {@code path} (its
 * {@code id} is the mount's); a single file stands alone ({@code path} null) and is read by id.
 */
public record SharedItem(
    String id,
    String kind,
    String name,
    String path,
    String owner,
    String role,
    Instant sharedAt) {}
