package coffer.core.chunk;

/**
 * FastCDC size bounds. A chunk is never shorter than {@code minSize} (except the last one of a
 * file), never longer than {@code maxSize}, and {@code averageSize} long on average.
 */
public record ChunkerConfig(int minSize, int averageSize, int maxSize) {

  /** 256 KiB / 1 MiB / 4 MiB: few enough chunks for metadata, small enough for edits. */
  public static final ChunkerConfig DEFAULT = new ChunkerConfig(256 << 10, 1 << 20, 4 << 20);

  public ChunkerConfig {
    if (minSize < 64 || !(minSize < averageSize && averageSize < maxSize)) {
      throw new IllegalArgumentException(
          "need 64 <= min < average < max, got " + minSize + "/" + averageSize + "/" + maxSize);
    }
    if (Integer.bitCount(averageSize) != 1) {
      throw new IllegalArgumentException("the average size must be a power of two");
    }
    if (maxSize > (1 << 28)) {
      throw new IllegalArgumentException("the maximum chunk size is at most 256 MiB");
    }
  }
}
