package coffer.server.blob;

import coffer.core.error.BadRequestException;
import coffer.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;

/** Reading a blob's bytes from an untrusted stream and checking them against their name. */
public final class VerifiedBytes {

  /** Blobs are chunks: at most this long, so they are read whole. */
  public static final int MAX_LENGTH = 64 << 20;

  private VerifiedBytes() {}

  /**
   * Reads exactly {@code length} bytes and checks that they hash to {@code hash}. A short stream or
   * a mismatch is the sender's mistake: {@link BadRequestException} of type {@code hash-mismatch}.
   */
  public static byte[] read(Sha256 hash, InputStream in, long length) throws IOException {
    if (length < 0 || length > MAX_LENGTH) {
      throw mismatch(hash, "a blob holds 0 to " + MAX_LENGTH + " bytes, not " + length);
    }
    byte[] data = in.readNBytes((int) length);
    if (data.length < length) {
      throw mismatch(hash, "the body ended after " + data.length + " bytes");
    }
    if (!hash.matches(Sha256.of(data).bytes())) {
      throw mismatch(hash, "the bytes do not hash to it");
    }
    return data;
  }

  private static BadRequestException mismatch(Sha256 hash, String why) {
    return new BadRequestException(
        "hash-mismatch", "Chunk " + hash + " was rejected: " + why + ".");
  }
}
