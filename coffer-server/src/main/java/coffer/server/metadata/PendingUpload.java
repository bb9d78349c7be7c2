package coffer.server.metadata;

import coffer.core.api.UploadMetadata;
import coffer.core.manifest.Manifest;
import java.time.Instant;

/** A chunked upload session: its target, the manifest to commit, and when it is abandoned. */
public record PendingUpload(
    String id,
    String userId,
    UploadMetadata target,
    Manifest manifest,
    Instant createdAt,
    Instant expiresAt) {}
