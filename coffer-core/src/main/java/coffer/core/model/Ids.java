package coffer.core.model;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/** Random, unguessable identifiers: 128 bits in 26 lowercase base-32 characters. */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  /** Where a simulation draws ids from instead, on its own thread. */
  private static final ThreadLocal<RandomGenerator> DRAWN_FROM = new ThreadLocal<>();

  private Ids() {}

  /**
   * Makes ids made on this thread come from {@code source} until the returned handle is closed: a
   * simulation seeds it, so the same seed gives the same ids and the same run.
   */
  public static AutoCloseable drawnFrom(RandomGenerator source) {
    DRAWN_FROM.set(source);
    return DRAWN_FROM::remove;
  }

  public static String newId() {
    byte[] bytes = new byte[16];
    RandomGenerator seeded = DRAWN_FROM.get();
    if (seeded == null) {
      RANDOM.nextBytes(bytes);
    } else {
      seeded.nextBytes(bytes);
    }
    StringBuilder out = new StringBuilder(26);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }
}
