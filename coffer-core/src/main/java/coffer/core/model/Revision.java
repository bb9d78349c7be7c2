package coffer.core.model;

import coffer.core.hash.Sha256;
import coffer.core.manifest.Manifest;
import java.time.Instant;

/**
 * One immutable version of a file's content. Old revisions are the version history; restoring one
 * writes a new revision with the same manifest.
 */
public record Revision(
    String id,
    String namespaceId,
    String nodeId,
    long size,
    Sha256 contentHash,
    Manifest manifest,
    String deviceId,
    Instant createdAt) {}
