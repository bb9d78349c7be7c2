package coffer.core.chunk;

/**
 * FastCDC content-defined chunking (Xia et al., 2016/2020): a gear rolling hash with normalized
 * chunking. Cut points depend only on nearby content, so an insertion or deletion moves the
 * boundaries around it and leaves the rest of a file's chunks, and their hashes, unchanged.
 *
 * <p>Pure and thread-safe: the gear table is fixed and derived from a constant seed, so every
 * client and server cuts the same bytes the same way.
 */
public final class FastCdc {

  private static final long[] GEAR = gearTable();

  private final ChunkerConfig config;
  private final long maskSmall;
  private final long maskLarge;

  public FastCdc(ChunkerConfig config) {
    this.config = config;
    int bits = Integer.numberOfTrailingZeros(config.averageSize());
    // Normalization level 2: harder to cut before the average size, easier after it. The mask
    // takes the hash's top bits, which depend on the most recent 64 bytes.
    this.maskSmall = topBits(bits + 2);
    this.maskLarge = topBits(bits - 2);
  }

  public ChunkerConfig config() {
    return config;
  }

  /**
   * Length of the chunk that starts at {@code from}, given {@code available} bytes from there. When
   * fewer than {@code maxSize} bytes are available and the stream has not ended, the caller must
   * read more first, or the cut would depend on how reads were split.
   */
  public int cut(byte[] data, int from, int available) {
    if (available <= config.minSize()) {
      return available;
    }
    int limit = Math.min(available, config.maxSize());
    int normal = Math.min(limit, config.averageSize());
    long fingerprint = 0;
    int i = config.minSize();
    for (; i < normal; i++) {
      fingerprint = (fingerprint << 1) + GEAR[data[from + i] & 0xff];
      if ((fingerprint & maskSmall) == 0) {
        return i + 1;
      }
    }
    for (; i < limit; i++) {
      fingerprint = (fingerprint << 1) + GEAR[data[from + i] & 0xff];
      if ((fingerprint & maskLarge) == 0) {
        return i + 1;
      }
    }
    return limit;
  }

  private static long topBits(int count) {
    return count >= 64 ? -1L : -1L << (64 - count);
  }

  private static long[] gearTable() {
    // SplitMix64 from a fixed seed: well-mixed, reproducible, no table to ship.
    long[] table = new long[256];
    long state = 0x436f66666572L; // "Coffer"
    for (int i = 0; i < table.length; i++) {
      state += 0x9E3779B97F4A7C15L;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      table[i] = z ^ (z >>> 31);
    }
    return table;
  }
}
