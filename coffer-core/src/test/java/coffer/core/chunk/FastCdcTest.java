package coffer.core.chunk;

import static coffer.core.chunk.Chunking.SMALL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FastCdcTest {

  @Nested
  class Cut {

    private final FastCdc cdc = new FastCdc(SMALL);

    @Test
    void takes_everything_that_is_left_when_no_more_than_the_minimum_is_available() {
      byte[] data = Chunking.randomBytes(1, 1000);

      assertThat(cdc.cut(data, 0, 1)).isEqualTo(1);
      assertThat(cdc.cut(data, 10, 100)).isEqualTo(100);
      assertThat(cdc.cut(data, 500, SMALL.minSize())).isEqualTo(SMALL.minSize());
    }

    @Test
    void never_cuts_at_or_before_the_minimum_nor_beyond_the_maximum_or_what_is_available() {
      byte[] data = Chunking.randomBytes(2, 64 << 10);

      for (int from = 0; from < 20_000; from += 97) {
        for (int available : new int[] {SMALL.minSize() + 1, 700, 3000, data.length - from}) {
          int length = cdc.cut(data, from, available);
          assertThat(length)
              .as("cut at %d with %d available", from, available)
              .isGreaterThan(SMALL.minSize())
              .isLessThanOrEqualTo(Math.min(available, SMALL.maxSize()));
        }
      }
    }

    @Test
    void depends_only_on_the_bytes_from_where_the_chunk_starts() {
      byte[] data = Chunking.randomBytes(3, 20_000);
      byte[] shifted = new byte[data.length + 1234];
      System.arraycopy(data, 0, shifted, 1234, data.length);
      Arrays.fill(shifted, 0, 1234, (byte) 0x5a);

      for (int from = 0; from < 10_000; from += 101) {
        assertThat(cdc.cut(shifted, from + 1234, data.length - from))
            .isEqualTo(cdc.cut(data, from, data.length - from));
      }
    }

    @Test
    void cuts_a_run_of_one_repeated_byte_at_the_maximum_size() {
      // With this gear table a run of zeros never matches a mask, so only the maximum ends a chunk.
      byte[] zeros = new byte[4 * SMALL.maxSize() + 100];

      assertThat(Chunking.cutLengths(zeros, SMALL))
          .containsExactly(SMALL.maxSize(), SMALL.maxSize(), SMALL.maxSize(), SMALL.maxSize(), 100);
    }

    @Test
    void cuts_the_same_way_in_every_instance_and_in_every_run() {
      // Clients and the server must agree on cut points, or no chunk would ever be shared. The
      // input comes from a generator written out here, so the expectation does not depend on the
      // JDK's random number generators; if this test fails, the chunker's output has changed and
      // every stored file would be re-chunked differently.
      byte[] data = splitMix64Bytes(0xC0FFEEL, 12_000);

      assertThat(Chunking.cutLengths(data, SMALL)).isEqualTo(PINNED_LENGTHS);
      assertThat(Chunking.cutLengths(data, SMALL))
          .isEqualTo(Chunking.lengths(Chunking.chunks(data, SMALL)));
    }
  }

  @Nested
  class WithTheDefaultConfig {

    @Test
    void averages_between_half_a_and_two_mebibytes_on_sixteen_mebibytes_of_random_data() {
      ChunkerConfig config = ChunkerConfig.DEFAULT;
      byte[] data = Chunking.randomBytes(2026, 16 << 20);

      List<Chunk> chunks = Chunking.chunks(data, config);

      long average = data.length / chunks.size();
      assertThat(average).isBetween(512L << 10, 2L << 20);
      assertThat(chunks.stream().mapToLong(Chunk::length).sum()).isEqualTo(data.length);
      assertThat(chunks.subList(0, chunks.size() - 1))
          .allSatisfy(
              chunk -> assertThat(chunk.length()).isBetween(config.minSize(), config.maxSize()));
      assertThat(chunks.getLast().length()).isBetween(1, config.maxSize());
    }
  }

  /** Cut points of {@code splitMix64Bytes(0xC0FFEE, 12_000)} with the small config. */
  private static final List<Integer> PINNED_LENGTHS =
      List.of(1425, 1222, 1112, 1232, 1604, 1233, 828, 1144, 1343, 857);

  /** SplitMix64 output as little-endian bytes. */
  static byte[] splitMix64Bytes(long seed, int size) {
    byte[] out = new byte[size];
    long state = seed;
    for (int i = 0; i < size; i++) {
      if (i % 8 == 0) {
        state += 0x9E3779B97F4A7C15L;
      }
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      out[i] = (byte) (z >>> (8 * (i % 8)));
    }
    return out;
  }
}
