package coffer.core.chunk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Test helpers: seeded random data, streams that read in odd pieces, and whole-stream chunking. */
final class Chunking {

  /** A small configuration, so that a few hundred KiB hold a couple of hundred chunks. */
  static final ChunkerConfig SMALL = new ChunkerConfig(256, 1024, 4096);

  private Chunking() {}

  static byte[] randomBytes(long seed, int size) {
    byte[] data = new byte[size];
    new SplittableRandom(seed).nextBytes(data);
    return data;
  }

  /** What test data looks like: chunkers meet more than uniformly random bytes. */
  enum Texture {
    /** Uniformly random bytes: content boundaries everywhere, at the expected rate. */
    RANDOM,
    /** Random bytes drawn from only two values. */
    TWO_VALUES,
    /** Runs of one repeated byte, up to 10,000 long: stretches with no content boundary. */
    LONG_RUNS
  }

  static byte[] sample(Texture texture, long seed, int size) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] data = new byte[size];
    switch (texture) {
      case RANDOM -> random.nextBytes(data);
      case TWO_VALUES -> {
        for (int i = 0; i < size; i++) {
          data[i] = random.nextBoolean() ? (byte) 'a' : (byte) 'b';
        }
      }
      case LONG_RUNS -> {
        for (int i = 0; i < size; ) {
          int run = Math.min(size - i, 1 + random.nextInt(10_000));
          Arrays.fill(data, i, i + run, (byte) random.nextInt(256));
          i += run;
        }
      }
    }
    return data;
  }

  /** Every chunk of {@code in}, read through a {@link ChunkReader}. */
  static List<Chunk> chunks(InputStream in, ChunkerConfig config) {
    ChunkReader reader = new ChunkReader(in, new FastCdc(config));
    List<Chunk> chunks = new ArrayList<>();
    try {
      for (Chunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
        chunks.add(chunk);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return chunks;
  }

  static List<Chunk> chunks(byte[] data, ChunkerConfig config) {
    return chunks(new ByteArrayInputStream(data), config);
  }

  /** Chunk lengths from {@link FastCdc#cut} applied straight to the whole array, no reader. */
  static List<Integer> cutLengths(byte[] data, ChunkerConfig config) {
    FastCdc cdc = new FastCdc(config);
    List<Integer> lengths = new ArrayList<>();
    for (int from = 0; from < data.length; ) {
      int length = cdc.cut(data, from, data.length - from);
      lengths.add(length);
      from += length;
    }
    return lengths;
  }

  static List<Integer> lengths(List<Chunk> chunks) {
    return chunks.stream().map(Chunk::length).toList();
  }

  /**
   * A stream over {@code data} whose reads return between 1 and {@code longestRead} bytes, chosen
   * at random, as a socket or a pipe might.
   */
  static InputStream choppy(byte[] data, long seed, int longestRead) {
    return new ChoppyInputStream(data, seed, longestRead);
  }

  private static final class ChoppyInputStream extends InputStream {
    private final byte[] data;
    private final SplittableRandom random;
    private final int longestRead;
    private int position;

    ChoppyInputStream(byte[] data, long seed, int longestRead) {
      this.data = data;
      this.random = new SplittableRandom(seed);
      this.longestRead = longestRead;
    }

    @Override
    public int read() {
      return position < data.length ? data[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (position >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(length, data.length - position), 1 + random.nextInt(longestRead));
      System.arraycopy(data, position, into, offset, n);
      position += n;
      return n;
    }
  }
}
