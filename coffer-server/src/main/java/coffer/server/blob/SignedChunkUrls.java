package coffer.server.blob;

import coffer.core.api.ChunkTransfer;
import coffer.core.hash.Sha256;
import java.time.Instant;
import java.util.Map;

/** Presigned URLs for the server's own {@code /api/v1/blobs/{hash}} endpoint. */
public final class SignedChunkUrls implements ChunkUrls {

  private final UrlSigner signer;

  public SignedChunkUrls(UrlSigner signer) {
    this.signer = signer;
  }

  @Override
  public ChunkTransfer put(Sha256 hash, int length, String userId, Instant expires) {
    return new ChunkTransfer(
        hash.hex(), length, signer.sign("PUT", hash, length, userId, expires), Map.of(), expires);
  }

  @Override
  public ChunkTransfer get(Sha256 hash, int length, String userId, Instant expires) {
    return new ChunkTransfer(
        hash.hex(), length, signer.sign("GET", hash, length, userId, expires), Map.of(), expires);
  }

  /**
   * Nothing to claim: chunks PUT through these URLs pass through the server, which stores them and
   * records the user's hold as they arrive.
   */
  @Override
  public boolean claim(Sha256 hash, int length, String userId) {
    return false;
  }
}
