package coffer.core.api;

import java.time.Instant;
import java.util.Map;

/**
 * Where to send (PUT) or fetch (GET) one chunk: a short-lived presigned URL, relative to the
 * server's base URL or absolute (an object store's), with any headers the request must carry.
 */
public record ChunkTransfer(
    String hash, int length, String url, Map<String, String> headers, Instant expiresAt) {}
