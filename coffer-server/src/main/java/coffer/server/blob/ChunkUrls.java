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

  /**
   * Called at commit for chunks the user does not hold yet; moves a chunk the user sent directly to
   * the store into place and says whether it did. The chunk must have arrived through a URL from
   * {@link #put} for this user, with exactly {@code length} bytes that hash to {@code hash}: a user
   * proves they hold a chunk only by sending it, never by naming it.
   */
  boolean claim(Sha256 hash, int length, String userId);
}
