package coffer.server.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.core.error.BadRequestException;
import coffer.core.error.CofferException;
import coffer.core.error.StorageException;
import coffer.core.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link BlobStore} adapter guarantees. An adapter's test extends this class and says
 * how to make a fresh, empty store.
 */
public abstract class BlobStoreContract {

  protected BlobStore store;

  /** A new, empty store; called before every test. */
  protected abstract BlobStore newStore() throws Exception;

  /** Releases what {@link #newStore()} made; called after every test. */
  protected void closeStore(BlobStore store) throws Exception {}

  @BeforeEach
  void open() throws Exception {
    store = newStore();
  }

  @AfterEach
  void close() throws Exception {
    closeStore(store);
  }

  protected static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i++) {
      data[i] = (byte) random.nextInt(256);
    }
    return data;
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Stores {@code data} under its own hash and returns the hash. */
  protected Sha256 put(byte[] data) {
    Sha256 hash = Sha256.of(data);
    store.put(hash, new ByteArrayInputStream(data), data.length);
    return hash;
  }

  @Nested
  class Storing {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, 1 << 20})
    void a_stored_blob_reads_back_as_the_same_bytes(int size) {
      byte[] data = bytes(size, size);

      Sha256 hash = put(data);

      assertThat(store.exists(hash)).isTrue();
      assertThat(store.read(hash)).isEqualTo(data);
    }

    @Test
    void blobs_are_kept_apart_by_hash() {
      Sha256 a = put(bytes("a"));
      Sha256 b = put(bytes("b"));

      assertThat(store.read(a)).isEqualTo(bytes("a"));
      assertThat(store.read(b)).isEqualTo(bytes("b"));
    }

    @Test
    void storing_the_same_blob_again_is_harmless() {
      byte[] data = bytes(10_000, 7);

      Sha256 first = put(data);
      Sha256 second = put(data);

      assertThat(second).isEqualTo(first);
      assertThat(store.exists(first)).isTrue();
      assertThat(store.read(first)).isEqualTo(data);
    }

    @Test
    void storing_the_same_blob_from_many_threads_at_once_is_harmless() throws Exception {
      byte[] data = bytes(200_000, 11);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Sha256>> puts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          puts.add(pool.submit(() -> put(data)));
        }
        for (Future<Sha256> put : puts) {
          assertThat(put.get(30, TimeUnit.SECONDS)).isEqualTo(Sha256.of(data));
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(store.read(Sha256.of(data))).isEqualTo(data);
    }

    @Test
    void only_length_bytes_are_read_from_a_longer_stream() {
      byte[] data = bytes("exactly this");
      byte[] longer = bytes("exactly this and then some more");

      store.put(Sha256.of(data), new ByteArrayInputStream(longer), data.length);

      assertThat(store.read(Sha256.of(data))).isEqualTo(data);
    }
  }

  @Nested
  class Refusing {

    @Test
    void bytes_that_do_not_match_the_hash_are_a_hash_mismatch_and_store_nothing() {
      Sha256 claimed = Sha256.of(bytes("what the client promised"));
      byte[] sent = bytes("what the client sent");

      assertThatThrownBy(() -> store.put(claimed, new ByteArrayInputStream(sent), sent.length))
          .isInstanceOf(BadRequestException.class)
          .extracting(e -> ((CofferException) e).type())
          .isEqualTo("hash-mismatch");

      assertThat(store.exists(claimed)).isFalse();
      assertThat(store.exists(Sha256.of(sent))).isFalse();
    }

    @Test
    void a_stream_shorter_than_its_length_is_refused_and_stores_nothing() {
      byte[] data = bytes(5000, 3);
      Sha256 hash = Sha256.of(data);

      assertThatThrownBy(
              () -> store.put(hash, new ByteArrayInputStream(data, 0, 4000), data.length))
          .isInstanceOf(BadRequestException.class)
          .extracting(e -> ((CofferException) e).type())
          .isEqualTo("hash-mismatch");

      assertThat(store.exists(hash)).isFalse();
      assertThatThrownBy(() -> store.read(hash)).isInstanceOf(StorageException.class);
    }

    @Test
    void a_refused_put_leaves_an_existing_blob_unchanged() {
      byte[] data = bytes("the real bytes");
      Sha256 hash = put(data);

      byte[] forged = bytes("forged bytes!!");
      assertThatThrownBy(() -> store.put(hash, new ByteArrayInputStream(forged), forged.length))
          .isInstanceOf(BadRequestException.class);
      assertThatThrownBy(() -> store.put(hash, new ByteArrayInputStream(data, 0, 3), data.length))
          .isInstanceOf(BadRequestException.class);

      assertThat(store.read(hash)).isEqualTo(data);
    }

    @Test
    void a_failing_stream_stores_nothing() {
      byte[] data = bytes(100_000, 5);
      Sha256 hash = Sha256.of(data);
      InputStream failing =
          new InputStream() {
            int served;

            @Override
            public int read() {
              if (served++ > 50_000) {
                throw new IllegalStateException("the client went away");
              }
              return data[served - 1] & 0xff;
            }
          };

      assertThatThrownBy(() -> store.put(hash, failing, data.length))
          .isInstanceOf(RuntimeException.class);

      assertThat(store.exists(hash)).isFalse();
    }
  }

  @Nested
  class ReadingAndDeleting {

    @Test
    void reading_a_missing_blob_is_a_storage_error() {
      Sha256 missing = Sha256.of(bytes("never stored"));

      assertThat(store.exists(missing)).isFalse();
      assertThatThrownBy(() -> store.read(missing)).isInstanceOf(StorageException.class);
    }

    @Test
    void a_deleted_blob_is_gone_and_deleting_again_does_nothing() {
      Sha256 hash = put(bytes("short-lived"));

      store.delete(hash);

      assertThat(store.exists(hash)).isFalse();
      assertThatThrownBy(() -> store.read(hash)).isInstanceOf(StorageException.class);
      store.delete(hash);
      store.delete(Sha256.of(bytes("never stored")));
      assertThat(store.exists(hash)).isFalse();
    }

    @Test
    void deleting_one_blob_leaves_the_others() {
      Sha256 gone = put(bytes("gone"));
      Sha256 kept = put(bytes("kept"));

      store.delete(gone);

      assertThat(store.read(kept)).isEqualTo(bytes("kept"));
    }

    @Test
    void a_listing_sees_every_blob_with_its_length_and_time() {
      java.time.Instant before = java.time.Instant.now().minusSeconds(5);
      Sha256 small = put(bytes("small"));
      Sha256 large = put(bytes(70_000, 21));
      Sha256 gone = put(bytes("gone"));
      store.delete(gone);

      List<BlobStore.StoredBlob> listed = new ArrayList<>();
      store.list(listed::add);

      assertThat(listed)
          .extracting(BlobStore.StoredBlob::hash)
          .containsExactlyInAnyOrder(small, large);
      // What a blob occupies: its own length, or less compressed, or a little more encrypted.
      assertThat(listed)
          .allSatisfy(
              blob -> {
                assertThat(blob.length()).isPositive().isLessThan(70_000L + 100);
                assertThat(blob.modified())
                    .isAfter(before)
                    .isBefore(java.time.Instant.now().plusSeconds(5));
              });
    }

    @Test
    void a_deleted_blob_can_be_stored_again() {
      byte[] data = bytes("phoenix");
      Sha256 hash = put(data);
      store.delete(hash);

      put(data);

      assertThat(store.read(hash)).isEqualTo(data);
    }
  }
}
