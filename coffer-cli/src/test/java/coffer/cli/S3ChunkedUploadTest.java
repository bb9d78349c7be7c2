package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.client.CofferClient;
import coffer.client.Progress;
import coffer.client.PutResult;
import coffer.core.api.UploadMetadata;
import coffer.server.CofferServer;
import coffer.server.ServerConfig;
import coffer.server.auth.PasswordHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's chunked upload and download against a server whose chunks live in S3 (a real S3Proxy
 * in this JVM): chunks go straight to the store through presigned URLs, and dedup still sends only
 * what changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ChunkedUploadTest {

  private static final long MIB = 1 << 20;

  @TempDir static Path tmp;
  private LocalS3 s3;
  private CofferServer server;
  private CofferClient alice;
  private CofferClient bob;

  @BeforeAll
  void start() throws Exception {
    s3 = LocalS3.start();
    server =
        CofferServer.start(
            ServerConfig.defaults()
                .withDataDir(tmp.resolve("data"))
                .withPort(0)
                .withPasswords(new PasswordHasher(1024, 1, 1))
                .withBlobs(s3.location("coffer"))
                .withBlobCredentials(
                    new ServerConfig.BlobCredentials(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)));
    alice = account("alice");
    bob = account("bob");
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
    s3.close();
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

  /** The bytes of every chunk in the bucket; nothing may be left waiting in staging. */
  private long storedBytes() {
    return s3.storedBytes("coffer");
  }

  @Test
  void a_one_byte_insertion_in_the_middle_uploads_at_most_two_chunks() throws Exception {
    Path file = ChunkedUploadTest.random(tmp.resolve("big.bin"), 64 * MIB, 2);
    PutResult original = alice.putChunked(file, to("/big.bin"), Progress.NONE);
    assertThat(original.chunks()).isGreaterThan(20);
    assertThat(original.bytesSent()).isEqualTo(64 * MIB);

    byte[] bytes = Files.readAllBytes(file);
    byte[] edited = new byte[bytes.length + 1];
    int middle = bytes.length / 2;
    System.arraycopy(bytes, 0, edited, 0, middle);
    edited[middle] = 42;
    System.arraycopy(bytes, middle, edited, middle + 1, bytes.length - middle);
    Files.write(file, edited);

    long arrived = server.chunkBytesArrived();
    PutResult update = alice.putChunked(file, to("/big.bin"), Progress.NONE);
    assertThat(update.chunksSent()).isBetween(1, 2);
    assertThat(server.chunkBytesArrived() - arrived).isEqualTo(update.bytesSent());
    assertThat(update.file().id()).isEqualTo(original.file().id());

    Path copy = tmp.resolve("big-copy.bin");
    alice.download(alice.lookup("/big.bin"), copy, Progress.NONE);
    assertThat(Files.mismatch(file, copy)).isEqualTo(-1);
  }

  @Test
  void the_same_file_is_stored_once_and_each_user_proves_they_hold_it() throws Exception {
    Path file = ChunkedUploadTest.random(tmp.resolve("shared.bin"), 16 * MIB, 3);
    long before = storedBytes();

    PutResult first = alice.putChunked(file, to("/shared.bin"), Progress.NONE);
    long afterFirst = storedBytes();
    assertThat(afterFirst - before).isEqualTo(16 * MIB);
    assertThat(first.bytesSent()).isEqualTo(16 * MIB);

    PutResult again = alice.putChunked(file, to("/again.bin"), Progress.NONE);
    assertThat(again.chunksSent()).isZero();

    PutResult other = bob.putChunked(file, to("/theirs.bin"), Progress.NONE);
    assertThat(other.bytesSent()).isEqualTo(16 * MIB);
    assertThat(storedBytes()).isEqualTo(afterFirst);

    Path copy = tmp.resolve("theirs-copy.bin");
    bob.download(bob.lookup("/theirs.bin"), copy, Progress.NONE);
    assertThat(Files.mismatch(file, copy)).isEqualTo(-1);
  }
}
