package coffer.server.blob.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.core.error.StorageException;
import coffer.core.hash.Sha256;
import coffer.server.blob.BlobStore;
import coffer.server.blob.BlobStoreContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local store with encryption at rest: the whole contract, and what encryption promises. */
class SealedLocalBlobStoreTest extends BlobStoreContract {

  static final String RING_1 = MasterKeys.generate();

  @TempDir Path tmp;

  Path root() {
    return tmp.resolve("blobs");
  }

  @Override
  protected BlobStore newStore() {
    return new LocalBlobStore(root(), new BlobSeal(MasterKeys.parse(RING_1)));
  }

  Path file(Sha256 hash) {
    return root().resolve(hash.hex().substring(0, 2)).resolve(hash.hex());
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  static byte[] text(int size) {
    StringBuilder text = new StringBuilder();
    for (int line = 0; text.length() < size; line++) {
      text.append("line ").append(line).append(": the quick brown fox jumps over the lazy dog\n");
    }
    return Arrays.copyOf(text.toString().getBytes(StandardCharsets.UTF_8), size);
  }

  @Nested
  class OnDisk {

    @Test
    void no_plaintext_is_on_disk_and_the_bytes_read_back() throws IOException {
      byte[] data = text(300_000);
      Sha256 hash = put(data);

      byte[] stored = Files.readAllBytes(file(hash));
      assertThat(contains(stored, "the quick brown fox".getBytes(StandardCharsets.UTF_8)))
          .isFalse();
      assertThat(contains(stored, Arrays.copyOfRange(data, 1000, 1016))).isFalse();
      assertThat(store.read(hash)).isEqualTo(data);
    }

    @Test
    void compressible_chunks_take_less_room_and_random_ones_a_header_more() throws IOException {
      Sha256 text = put(text(1 << 20));
      byte[] random = bytes(1 << 20, 3);
      Sha256 noise = put(random);

      assertThat(Files.size(file(text))).isLessThan((1 << 20) / 2);
      assertThat(Files.size(file(noise))).isEqualTo((1 << 20) + BlobSeal.HEADER + 16);
      assertThat(store.read(noise)).isEqualTo(random);
    }

    @Test
    void the_same_chunk_stored_in_two_stores_looks_different() throws IOException {
      byte[] data = text(10_000);
      Sha256 hash = put(data);
      BlobStore other =
          new LocalBlobStore(tmp.resolve("other"), new BlobSeal(MasterKeys.parse(RING_1)));
      other.put(hash, new java.io.ByteArrayInputStream(data), data.length);

      byte[] here = Files.readAllBytes(file(hash));
      byte[] there =
          Files.readAllBytes(
              tmp.resolve("other").resolve(hash.hex().substring(0, 2)).resolve(hash.hex()));
      assertThat(there).isNotEqualTo(here);
    }

    @Test
    void a_flipped_byte_anywhere_is_refused_as_corrupt() throws IOException {
      byte[] data = text(50_000);
      Sha256 hash = put(data);
      byte[] stored = Files.readAllBytes(file(hash));
      for (int at : new int[] {0, 4, 6, 10, 14, BlobSeal.HEADER + 3, stored.length - 1}) {
        byte[] damaged = stored.clone();
        damaged[at] ^= 0x01;
        Files.write(file(hash), damaged);

        // A damaged key id names a key the ring does not hold: refused all the same.
        String expected = at >= 5 && at < 9 ? "blob-key-missing" : "blob-corrupt";
        assertThatThrownBy(() -> store.read(hash))
            .as("byte %d flipped", at)
            .isInstanceOfSatisfying(
                StorageException.class, e -> assertThat(e.type()).isEqualTo(expected));
      }
    }

    @Test
    void a_truncated_blob_is_refused_as_corrupt() throws IOException {
      Sha256 hash = put(bytes(70_000, 10));
      byte[] stored = Files.readAllBytes(file(hash));
      Files.write(file(hash), Arrays.copyOf(stored, stored.length - 1));

      assertThatThrownBy(() -> store.read(hash))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.type()).isEqualTo("blob-corrupt"));
    }

    @Test
    void a_blob_copied_under_another_chunks_name_is_refused() throws IOException {
      Sha256 one = put(text(20_000));
      Sha256 two = put(bytes(20_000, 4));
      Files.copy(file(one), file(two), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      assertThatThrownBy(() -> store.read(two)).isInstanceOf(StorageException.class);
    }

    @Test
    void a_header_claiming_a_huge_length_is_refused_before_anything_is_allocated()
        throws IOException {
      Sha256 hash = put(text(50_000));
      byte[] stored = Files.readAllBytes(file(hash));
      ByteBuffer.wrap(stored).putInt(9, Integer.MAX_VALUE);
      Files.write(file(hash), stored);

      assertThatThrownBy(() -> store.read(hash))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.type()).isEqualTo("blob-corrupt"));
    }

    @Test
    void blobs_stored_before_encryption_was_on_stay_readable() {
      byte[] data = text(30_000);
      Sha256 hash = Sha256.of(data);
      new LocalBlobStore(root()).put(hash, new java.io.ByteArrayInputStream(data), data.length);

      assertThat(store.read(hash)).isEqualTo(data);
    }

    @Test
    void a_plain_chunk_that_begins_like_a_sealed_blob_is_still_read() {
      byte[] data = bytes(30_000, 8);
      data[0] = 'C';
      data[1] = 'F';
      data[2] = 'B';
      data[3] = 1;
      Sha256 hash = Sha256.of(data);
      new LocalBlobStore(root()).put(hash, new java.io.ByteArrayInputStream(data), data.length);

      assertThat(store.read(hash)).isEqualTo(data);
    }

    @Test
    void a_rotated_ring_reads_old_blobs_and_seals_new_ones_under_the_new_key() throws IOException {
      Sha256 old = put(text(20_000));
      String ring2 =
          RING_1
              + MasterKeys.generate()
                  .lines()
                  .filter(l -> l.startsWith("1:"))
                  .findFirst()
                  .orElseThrow()
                  .replaceFirst("^1:", "2:")
              + "\n";
      BlobStore rotated = new LocalBlobStore(root(), new BlobSeal(MasterKeys.parse(ring2)));
      byte[] fresh = bytes(20_000, 5);
      Sha256 freshHash = Sha256.of(fresh);
      rotated.put(freshHash, new java.io.ByteArrayInputStream(fresh), fresh.length);

      assertThat(rotated.read(old)).isEqualTo(text(20_000));
      assertThat(ByteBuffer.wrap(Files.readAllBytes(file(freshHash))).getInt(5)).isEqualTo(2);
      assertThatThrownBy(() -> store.read(freshHash))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.type()).isEqualTo("blob-key-missing"));
    }

    @Test
    void another_key_cannot_open_a_blob() {
      Sha256 hash = put(text(20_000));
      BlobStore stranger =
          new LocalBlobStore(root(), new BlobSeal(MasterKeys.parse(MasterKeys.generate())));

      assertThatThrownBy(() -> stranger.read(hash))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.type()).isEqualTo("blob-corrupt"));
    }

    @Test
    void without_its_key_an_encrypted_blob_is_refused_not_served_sealed() {
      Sha256 hash = put(text(20_000));

      assertThatThrownBy(() -> new LocalBlobStore(root()).read(hash))
          .isInstanceOfSatisfying(
              StorageException.class, e -> assertThat(e.type()).isEqualTo("blob-key-missing"));
    }

    @Test
    void with_encryption_turned_off_new_blobs_are_plain_and_old_ones_still_open()
        throws IOException {
      Sha256 sealed = put(text(20_000));
      BlobStore off = new LocalBlobStore(root(), BlobSeal.openOnly(MasterKeys.parse(RING_1)));
      byte[] plain = text(21_000);
      Sha256 plainHash = Sha256.of(plain);
      off.put(plainHash, new java.io.ByteArrayInputStream(plain), plain.length);

      assertThat(off.read(sealed)).isEqualTo(text(20_000));
      assertThat(Files.readAllBytes(file(plainHash))).isEqualTo(plain);
    }
  }
}
