package coffer.core.hash;

import coffer.core.error.BadRequestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SHA-256 digest: the identity of a chunk, and (over a file's chunk hashes) of a file's content.
 * Immutable; its text form is 64 lowercase hex digits.
 */
public final class Sha256 implements Comparable<Sha256> {

  public static final int BYTES = 32;
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private Sha256(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a 32-byte digest (copied). */
  public static Sha256 ofDigest(byte[] digest) {
    if (digest.length != BYTES) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + digest.length);
    }
    return new Sha256(digest.clone());
  }

  /** Parses 64 hex digits; anything else is a client's mistake. */
  public static Sha256 parse(String hex) {
    if (hex == null || hex.length() != BYTES * 2) {
      throw new BadRequestException("invalid-hash", "A SHA-256 hash is 64 hex digits.");
    }
    try {
      return new Sha256(HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("invalid-hash", "A SHA-256 hash is 64 hex digits.");
    }
  }

  /** Hashes {@code length} bytes of {@code data} from {@code offset}. */
  public static Sha256 of(byte[] data, int offset, int length) {
    MessageDigest digest = newDigest();
    digest.update(data, offset, length);
    return new Sha256(digest.digest());
  }

  public static Sha256 of(byte[] data) {
    return of(data, 0, data.length);
  }

  /** A fresh JDK SHA-256 digest; the algorithm is required on every Java platform. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** Feeds the raw digest into another digest, without copying. */
  public void updateInto(MessageDigest digest) {
    digest.update(bytes);
  }

  public String hex() {
    return HEX.formatHex(bytes);
  }

  /** Compares with a digest in constant time. */
  public boolean matches(byte[] digest) {
    return MessageDigest.isEqual(bytes, digest);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Sha256 that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Sha256 other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
