package coffer.core.model;

import java.time.Instant;

/** An account. {@code homeNamespace} is the namespace that holds the user's own tree. */
public record User(
    String id,
    String username,
    String passwordHash,
    boolean admin,
    String homeNamespace,
    Instant createdAt) {}
