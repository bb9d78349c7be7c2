package coffer.core.manifest;

import static java.util.Objects.requireNonNull;

import coffer.core.hash.Sha256;

/** One entry of a manifest: which chunk, and how many bytes of the file it holds. */
public record ChunkRef(Sha256 hash, int length) {
  public ChunkRef {
    requireNonNull(hash, "hash is null");
    if (length <= 0) {
      throw new IllegalArgumentException("a chunk holds at least one byte, not " + length);
    }
  }
}
