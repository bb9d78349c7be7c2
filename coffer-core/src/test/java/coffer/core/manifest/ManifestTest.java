package coffer.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import coffer.core.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ManifestTest {

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static ChunkRef chunkOf(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new ChunkRef(Sha256.of(bytes), bytes.length);
  }

  /** Chunks with random hashes and the given lengths. */
  private static Manifest manifestOf(long seed, List<Integer> lengths) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ChunkRef> chunks = new ArrayList<>();
    for (int length : lengths) {
      byte[] digest = new byte[Sha256.BYTES];
      random.nextBytes(digest);
      chunks.add(new ChunkRef(Sha256.ofDigest(digest), length));
    }
    return new Manifest(chunks);
  }

  @Nested
  class Empty {

    @Test
    void has_no_chunks_and_no_bytes() {
      assertThat(Manifest.EMPTY.chunks()).isEmpty();
      assertThat(Manifest.EMPTY.size()).isZero();
    }

    @Test
    void has_the_hash_of_nothing() {
      assertThat(Manifest.EMPTY.contentHash()).isEqualTo(Sha256.of(new byte[0]));
      assertThat(Manifest.EMPTY.contentHash().hex())
          .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void places_every_position_past_the_end() {
      assertThat(Manifest.EMPTY.chunkAt(0)).isZero();
      assertThat(Manifest.EMPTY.offsetOf(0)).isZero();
    }
  }

  @Nested
  class TotalSize {

    @Test
    void is_the_sum_of_the_chunk_lengths() {
      Manifest manifest = new Manifest(List.of(chunkOf("hello "), chunkOf("world"), chunkOf("!")));

      assertThat(manifest.size()).isEqualTo(12);
    }

    @Test
    void can_exceed_what_an_int_holds() {
      Manifest manifest = manifestOf(1, List.of(Integer.MAX_VALUE, Integer.MAX_VALUE, 10));

      assertThat(manifest.size()).isEqualTo(2L * Integer.MAX_VALUE + 10);
      assertThat(manifest.offsetOf(2)).isEqualTo(2L * Integer.MAX_VALUE);
      assertThat(manifest.chunkAt(2L * Integer.MAX_VALUE + 9)).isEqualTo(2);
    }
  }

  @Nested
  @Group // jqwik runs the properties in here; JUnit runs the tests
  class ContentHash {

    @Test
    void is_sha256_over_the_concatenated_raw_chunk_hashes() {
      ChunkRef a = chunkOf("first chunk");
      ChunkRef b = chunkOf("second chunk");
      ChunkRef c = chunkOf("third");
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      raw.writeBytes(a.hash().bytes());
      raw.writeBytes(b.hash().bytes());
      raw.writeBytes(c.hash().bytes());

      Manifest manifest = new Manifest(List.of(a, b, c));

      assertThat(raw.size()).isEqualTo(3 * Sha256.BYTES);
      assertThat(manifest.contentHash().bytes()).isEqualTo(sha256(raw.toByteArray()));
    }

    @Test
    void of_one_chunk_is_the_hash_of_its_hash_not_of_the_data() {
      ChunkRef only = chunkOf("data");

      Sha256 hash = new Manifest(List.of(only)).contentHash();

      assertThat(hash.bytes()).isEqualTo(sha256(only.hash().bytes()));
      assertThat(hash).isNotEqualTo(only.hash());
    }

    @Test
    void depends_on_the_order_of_the_chunks() {
      ChunkRef a = chunkOf("a");
      ChunkRef b = chunkOf("b");

      assertThat(new Manifest(List.of(a, b)).contentHash())
          .isNotEqualTo(new Manifest(List.of(b, a)).contentHash());
    }

    @Property(tries = 100)
    void matches_an_independent_computation(
        @ForAll long seed,
        @ForAll @Size(max = 50) List<@IntRange(min = 1, max = 5000) Integer> lengths) {
      Manifest manifest = manifestOf(seed, lengths);
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      for (ChunkRef chunk : manifest.chunks()) {
        raw.writeBytes(chunk.hash().bytes());
      }

      assertThat(manifest.contentHash().bytes()).isEqualTo(sha256(raw.toByteArray()));
    }
  }

  @Nested
  @Group // jqwik runs the properties in here; JUnit runs the tests
  class Positions {

    @Test
    void find_the_chunk_holding_each_byte() {
      Manifest manifest = manifestOf(2, List.of(3, 1, 4));

      assertThat(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 100L))
          .map(manifest::chunkAt)
          .containsExactly(0, 0, 0, 1, 2, 2, 2, 2, 3, 3);
      assertThat(List.of(0, 1, 2, 3)).map(manifest::offsetOf).containsExactly(0L, 3L, 4L, 8L);
    }

    @Property(tries = 100)
    void chunk_at_and_offset_of_agree(
        @ForAll long seed,
        @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 5000) Integer> lengths) {
      Manifest manifest = manifestOf(seed, lengths);
      int count = lengths.size();

      for (int i = 0; i < count; i++) {
        long start = manifest.offsetOf(i);
        long end = manifest.offsetOf(i + 1);
        assertThat(end - start).isEqualTo((long) lengths.get(i));
        assertThat(manifest.chunkAt(start)).isEqualTo(i);
        assertThat(manifest.chunkAt(end - 1)).isEqualTo(i);
      }
      assertThat(manifest.offsetOf(0)).isZero();
      assertThat(manifest.offsetOf(count)).isEqualTo(manifest.size());
      assertThat(manifest.chunkAt(manifest.size())).isEqualTo(count);
    }
  }

  @Nested
  class Chunks {

    @Test
    void cannot_be_changed_from_outside() {
      List<ChunkRef> chunks = new ArrayList<>(List.of(chunkOf("a")));
      Manifest manifest = new Manifest(chunks);

      chunks.add(chunkOf("b"));

      assertThat(manifest.chunks()).hasSize(1).isUnmodifiable();
    }

    @Test
    void refer_to_at_least_one_byte_by_a_hash() {
      Sha256 hash = Sha256.of(new byte[] {1});

      assertThatIllegalArgumentException().isThrownBy(() -> new ChunkRef(hash, 0));
      assertThatIllegalArgumentException().isThrownBy(() -> new ChunkRef(hash, -1));
      assertThatNullPointerException().isThrownBy(() -> new ChunkRef(null, 1));
    }
  }
}
