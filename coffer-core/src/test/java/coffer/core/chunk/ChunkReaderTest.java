package coffer.core.chunk;

import static coffer.core.chunk.Chunking.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkReaderTest {

  @Nested
  class AtTheEnds {

    @Test
    void yields_no_chunks_for_an_empty_stream_however_often_it_is_asked() throws IOException {
      ChunkReader reader =
          new ChunkReader(new ByteArrayInputStream(new byte[0]), new FastCdc(SMALL));

      assertThat(reader.next()).isNull();
      assertThat(reader.next()).isNull();
      assertThat(reader.position()).isZero();
    }

    @Test
    void keeps_answering_null_once_the_stream_is_exhausted() throws IOException {
      ChunkReader reader =
          new ChunkReader(
              new ByteArrayInputStream(Chunking.randomBytes(4, 10_000)), new FastCdc(SMALL));
      while (reader.next() != null) {
        // drain
      }

      assertThat(reader.next()).isNull();
      assertThat(reader.position()).isEqualTo(10_000);
    }

    @Test
    void makes_one_chunk_of_a_single_byte() {
      List<Chunk> chunks = Chunking.chunks(new byte[] {42}, SMALL);

      assertThat(chunks)
          .singleElement()
          .satisfies(
              chunk -> {
                assertThat(chunk.offset()).isZero();
                assertThat(chunk.data()).containsExactly(42);
              });
    }

    @ParameterizedTest
    @ValueSource(ints = {255, 256, 257, 1024, 4095, 4096, 4097, 8192, 8193, 12_288})
    void handles_sizes_around_the_bounds(int size) {
      byte[] data = Chunking.randomBytes(size, size);

      List<Chunk> chunks = Chunking.chunks(data, SMALL);

      assertThat(Chunking.lengths(chunks)).isEqualTo(Chunking.cutLengths(data, SMALL));
      assertThat(chunks.stream().mapToInt(Chunk::length).sum()).isEqualTo(size);
      assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isBetween(1, SMALL.maxSize()));
    }
  }

  @Nested
  class Offsets {

    @Test
    void are_contiguous_from_zero_and_match_the_position() throws IOException {
      byte[] data = Chunking.randomBytes(5, 50_000);
      ChunkReader reader = new ChunkReader(new ByteArrayInputStream(data), new FastCdc(SMALL));

      long expected = 0;
      for (Chunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
        assertThat(chunk.offset()).isEqualTo(expected);
        expected += chunk.length();
        assertThat(reader.position()).isEqualTo(expected);
      }
      assertThat(expected).isEqualTo(data.length);
    }

    @Test
    void hand_out_chunks_that_keep_their_bytes_while_the_reader_moves_on() {
      byte[] data = Chunking.randomBytes(6, 30_000);

      List<Chunk> chunks = Chunking.chunks(data, SMALL);

      assertThat(chunks).hasSizeGreaterThan(3);
      for (Chunk chunk : chunks) {
        int from = (int) chunk.offset();
        assertThat(chunk.data()).isEqualTo(Arrays.copyOfRange(data, from, from + chunk.length()));
      }
    }
  }

  @Nested
  class Reading {

    @Test
    void reads_ahead_at_most_two_maximum_size_chunks() throws IOException {
      byte[] data = Chunking.randomBytes(7, 100_000);
      CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(data));
      ChunkReader reader = new ChunkReader(in, new FastCdc(SMALL));

      for (Chunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
        assertThat(in.count - reader.position()).isLessThanOrEqualTo(2L * SMALL.maxSize());
      }
    }

    @Test
    void takes_a_small_buffer_for_a_small_stream() throws IOException {
      // Two 4 MiB chunks of fresh memory per 10 KiB file made a folder of small files crawl.
      ChunkReader reader =
          new ChunkReader(
              new ByteArrayInputStream(Chunking.randomBytes(8, 10_240)),
              new FastCdc(ChunkerConfig.DEFAULT));

      assertThat(reader.next().length()).isEqualTo(10_240);
      assertThat(reader.next()).isNull();
      assertThat(reader.bufferSize()).isLessThanOrEqualTo(ChunkReader.INITIAL_BUFFER);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4096, 65_536, 1 << 20})
    void cuts_where_the_whole_data_is_cut_while_its_buffer_grows(int longestRead)
        throws IOException {
      // Two maximum-size chunks (1 MiB) are far more than the first buffer holds.
      ChunkerConfig large = new ChunkerConfig(32 << 10, 128 << 10, 512 << 10);
      byte[] data = Chunking.randomBytes(9, 3 << 20);
      ChunkReader reader =
          new ChunkReader(Chunking.choppy(data, 9, longestRead), new FastCdc(large));

      List<Integer> lengths = new java.util.ArrayList<>();
      for (Chunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
        int from = (int) chunk.offset();
        assertThat(chunk.data()).isEqualTo(Arrays.copyOfRange(data, from, from + chunk.length()));
        lengths.add(chunk.length());
      }

      assertThat(lengths).isEqualTo(Chunking.cutLengths(data, large));
      assertThat(reader.bufferSize()).isEqualTo(2 * large.maxSize());
    }

    @Test
    void passes_on_a_failure_of_the_stream() {
      InputStream broken =
          new InputStream() {
            @Override
            public int read() throws IOException {
              throw new IOException("disk on fire");
            }
          };
      ChunkReader reader = new ChunkReader(broken, new FastCdc(SMALL));

      assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessage("disk on fire");
    }
  }

  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
