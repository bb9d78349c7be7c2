package coffer.core.chunk;

import coffer.core.hash.Sha256;

/**
 * One content-defined piece of a file.
 *
 * @param offset where the chunk starts in its file
 * @param data the chunk's bytes, owned by the chunk (not shared with the reader's buffer)
 */
public record Chunk(long offset, byte[] data) {

  public int length() {
    return data.length;
  }

  public Sha256 hash() {
    return Sha256.of(data);
  }
}
