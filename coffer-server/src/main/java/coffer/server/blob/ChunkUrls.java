package coffer.server.blob;

import coffer.core.api.ChunkTransfer;
import coffer.core.hash.Sha256;
import java.time.Instant;

/**
 * Hands out short-lived presigned URLs through which one user may PUT or GET one chunk without
 * passing a token: the server's own signed blob endpoint, or an object store's presigned URLs.
 */
public interface ChunkUrls {

  ChunkTransfer put(Sha256 hash, int length, String userId, Instant expires);

  ChunkTransfer get(Sha256 hash, int length, String userId, Instant expires);
}
