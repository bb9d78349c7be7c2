package coffer.server.blob.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.core.error.StorageException;
import coffer.core.hash.Sha256;
import coffer.server.blob.BlobStore;
import coffer.server.blob.BlobStoreContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest extends BlobStoreContract {

  @TempDir Path tmp;

  Path root() {
    return tmp.resolve("blobs");
  }

  @Override
  protected BlobStore newStore() {
    return new LocalBlobStore(root());
  }

  /** Where the store keeps a blob: {@code root/<first two hex>/<hex>}. */
  Path file(Sha256 hash) {
    return root().resolve(hash.hex().substring(0, 2)).resolve(hash.hex());
  }

  @Nested
  class OnDisk {

    @Test
    void a_blob_lives_at_its_hex_path() {
      Sha256 hash = put(bytes("on disk"));

      assertThat(file(hash)).exists().hasBinaryContent(bytes("on disk"));
    }

    @Test
    void a_blob_corrupted_on_disk_is_refused_on_read() throws IOException {
      byte[] data = bytes(70_000, 9);
      Sha256 hash = put(data);
      byte[] corrupt = data.clone();
      corrupt[12_345] ^= 0x01;
      Files.write(file(hash), corrupt);

      assertThatThrownBy(() -> store.read(hash)).isInstanceOf(StorageException.class);
    }

    @Test
    void a_truncated_blob_is_refused_on_read() throws IOException {
      byte[] data = bytes(70_000, 10);
      Sha256 hash = put(data);
      Files.write(file(hash), java.util.Arrays.copyOf(data, 69_999));

      assertThatThrownBy(() -> store.read(hash)).isInstanceOf(StorageException.class);
    }

    @Test
    void a_refused_put_leaves_no_temporary_file_behind() throws IOException {
      byte[] data = bytes(50_000, 2);
      try {
        store.put(Sha256.of(bytes("other")), new ByteArrayInputStream(data), data.length);
      } catch (RuntimeException expected) {
        // refused, as the contract says
      }
      try {
        store.put(Sha256.of(data), new ByteArrayInputStream(data, 0, 10), data.length);
      } catch (RuntimeException expected) {
        // refused, as the contract says
      }

      try (Stream<Path> files = Files.walk(root())) {
        assertThat(files.filter(Files::isRegularFile)).isEmpty();
      }
    }

    @Test
    void reopening_keeps_blobs_and_clears_leftover_temporary_files() throws IOException {
      Sha256 hash = put(bytes("durable"));
      Files.writeString(root().resolve(".tmp").resolve("crashed.part"), "half a blob");

      BlobStore reopened = new LocalBlobStore(root());

      assertThat(reopened.read(hash)).isEqualTo(bytes("durable"));
      assertThat(root().resolve(".tmp")).isEmptyDirectory();
    }
  }
}
