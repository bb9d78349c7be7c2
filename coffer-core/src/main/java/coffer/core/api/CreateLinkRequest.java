package coffer.core.api;

import java.time.Instant;

/**
 * Makes a public link to a file or folder. Both fields are optional: without {@code expiresAt} the
 * link works until revoked, without {@code password} anyone with the link may read.
 */
public record CreateLinkRequest(Instant expiresAt, String password) {}
