package coffer.core.manifest;

import coffer.core.hash.Sha256;
import java.security.MessageDigest;
import java.util.List;

/**
 * The ordered chunks of one revision of a file. The file's content hash is SHA-256 over the
 * concatenated raw chunk hashes, so it is known after one hashing pass over the data.
 */
public record Manifest(List<ChunkRef> chunks) {

  public static final Manifest EMPTY = new Manifest(List.of());

  public Manifest {
    chunks = List.copyOf(chunks);
  }

  public long size() {
    long size = 0;
    for (ChunkRef chunk : chunks) {
      size += chunk.length();
    }
    return size;
  }

  public Sha256 contentHash() {
    MessageDigest digest = Sha256.newDigest();
    for (ChunkRef chunk : chunks) {
      chunk.hash().updateInto(digest);
    }
    return Sha256.ofDigest(digest.digest());
  }

  /** Index of the chunk holding byte {@code position}, or {@code chunks().size()} past the end. */
  public int chunkAt(long position) {
    long start = 0;
    for (int i = 0; i < chunks.size(); i++) {
      long next = start + chunks.get(i).length();
      if (position < next) {
        return i;
      }
      start = next;
    }
    return chunks.size();
  }

  /** Offset in the file at which chunk {@code index} starts. */
  public long offsetOf(int index) {
    long offset = 0;
    for (int i = 0; i < index; i++) {
      offset += chunks.get(i).length();
    }
    return offset;
  }
}
