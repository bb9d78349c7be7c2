package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.client.CofferClient;
import coffer.client.Progress;
import coffer.client.PutResult;
import coffer.core.api.UploadMetadata;
import coffer.server.CofferServer;
import coffer.server.ServerConfig;
import coffer.server.auth.PasswordHasher;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The client's chunked upload against an in-process server: dedup and delta uploads. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChunkedUploadTest {

  private static final long MIB = 1 << 20;

  @TempDir static Path tmp;
  private CofferServer server;
  private CofferClient alice;
  private CofferClient bob;

  @BeforeAll
  void start() {
    server =
        CofferServer.start(
            ServerConfig.defaults()
                .withDataDir(tmp.resolve("data"))
                .withPort(0)
                .withPasswords(new PasswordHasher(1024, 1, 1)));
    alice = account("alice");
    bob = account("bob");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private CofferClient account(String name) {
    CofferClient anonymous = new CofferClient(server.url(), null);
    anonymous.signup(name, "password-" + name);
    return new CofferClient(
        server.url(), anonymous.login(name, "password-" + name, "test").token());
  }

  private static UploadMetadata to(String path) {
    return new UploadMetadata(path, null, null, true, null);
  }

  @Test
  void the_same_file_is_stored_once_and_each_user_proves_they_hold_it() throws Exception {
    Path file = random(tmp.resolve("hundred.bin"), 100 * MIB, 1);
    long storedBefore = storedBytes();

    PutResult first = alice.putChunked(file, to("/one.bin"), Progress.NONE);
    long afterFirst = storedBytes();
    // Random bytes do not compress; each chunk is sealed with a 25-byte header and a 16-byte tag.
    assertThat(afterFirst - storedBefore).isEqualTo(100 * MIB + first.chunks() * 41L);
    assertThat(first.bytesSent()).isEqualTo(100 * MIB);

    long arrived = server.chunkBytesArrived();
    PutResult second = alice.putChunked(file, to("/two.bin"), Progress.NONE);
    assertThat(second.chunksSent()).isZero();
    assertThat(server.chunkBytesArrived() - arrived).isZero();

    PutResult other = bob.putChunked(file, to("/theirs.bin"), Progress.NONE);
    assertThat(other.bytesSent()).isEqualTo(100 * MIB);
    assertThat(server.chunkBytesArrived() - arrived).isEqualTo(100 * MIB);
    assertThat(storedBytes()).isEqualTo(afterFirst);

    Path copy = tmp.resolve("theirs-copy.bin");
    bob.download(bob.lookup("/theirs.bin"), copy, Progress.NONE);
    assertThat(Files.mismatch(file, copy)).isEqualTo(-1);
  }

  @Test
  void a_one_byte_insertion_in_the_middle_uploads_at_most_two_chunks() throws Exception {
    Path file = random(tmp.resolve("big.bin"), 256 * MIB, 2);
    PutResult original = alice.putChunked(file, to("/big.bin"), Progress.NONE);
    assertThat(original.chunks()).isGreaterThan(100);

    byte[] bytes = Files.readAllBytes(file);
    byte[] edited = new byte[bytes.length + 1];
    int middle = bytes.length / 2;
    System.arraycopy(bytes, 0, edited, 0, middle);
    edited[middle] = 42;
    System.arraycopy(bytes, middle, edited, middle + 1, bytes.length - middle);
    Files.write(file, edited);

    PutResult update = alice.putChunked(file, to("/big.bin"), Progress.NONE);
    assertThat(update.chunksSent()).isBetween(1, 2);
    assertThat(update.file().id()).isEqualTo(original.file().id());
    assertThat(update.file().revision()).isNotEqualTo(original.file().revision());

    Path copy = tmp.resolve("big-copy.bin");
    alice.download(alice.lookup("/big.bin"), copy, Progress.NONE);
    assertThat(Files.mismatch(file, copy)).isEqualTo(-1);
  }

  private long storedBytes() throws IOException {
    try (Stream<Path> files = Files.walk(tmp.resolve("data").resolve("blobs"))) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !p.getParent().getFileName().toString().equals(".tmp"))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  static Path random(Path file, long size, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] block = new byte[(int) MIB];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
    return file;
  }
}
