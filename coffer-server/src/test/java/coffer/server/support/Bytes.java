package coffer.server.support;

import java.util.SplittableRandom;

/** Test data. */
public final class Bytes {
  private Bytes() {}

  /** {@code size} pseudo-random bytes, the same for the same seed. */
  public static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    SplittableRandom random = new SplittableRandom(seed);
    int i = 0;
    while (i + 8 <= size) {
      long value = random.nextLong();
      for (int b = 0; b < 8; b++) {
        bytes[i++] = (byte) (value >>> (8 * b));
      }
    }
    while (i < size) {
      bytes[i++] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  public static final int MIB = 1 << 20;
}
