package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.server.ServerConfig;
import coffer.server.support.Account;
import coffer.server.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encryption at rest through the real server: what an upload leaves on disk. */
class EncryptionAtRestApiTest {

  @TempDir Path tmp;

  static final String SECRET_LINE = "Meet at the old mill at dawn; the password is swordfish-42.\n";

  static byte[] knownText(int size) {
    StringBuilder text = new StringBuilder();
    while (text.length() < size) {
      text.append(SECRET_LINE);
    }
    return text.substring(0, size).getBytes(StandardCharsets.UTF_8);
  }

  /** Every file under the data directory, read whole. */
  static List<byte[]> everyFile(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(
              f -> {
                try {
                  return Files.readAllBytes(f);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  static boolean anyContains(List<byte[]> files, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    return files.stream().anyMatch(f -> indexOf(f, n) >= 0);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void the_blob_directory_holds_no_plaintext_of_what_was_uploaded() throws IOException {
    Path data = tmp.resolve("data");
    byte[] small = knownText(3_000);
    byte[] large = knownText(3 << 20);
    try (TestServer server = TestServer.start(data)) {
      Account alice = server.newAccount("alice");
      String smallId = alice.uploaded("/notes/small.txt", small).path("id").asText();
      String largeId = alice.uploaded("/notes/large.txt", large).path("id").asText();

      List<byte[]> blobs = everyFile(data.resolve("blobs"));
      assertThat(blobs).hasSizeGreaterThanOrEqualTo(2);
      assertThat(anyContains(blobs, "swordfish")).isFalse();
      assertThat(anyContains(blobs, "old mill")).isFalse();
      assertThat(alice.get("/api/v1/files/" + smallId).expect(200).body()).isEqualTo(small);
      assertThat(alice.get("/api/v1/files/" + largeId).expect(200).body()).isEqualTo(large);
    }
    Path key = tmp.resolve("data.key");
    assertThat(key).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    // Compressed before it was encrypted: 3 MiB of repeated text takes far less room.
    long stored;
    try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
      stored = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    assertThat(stored).isLessThan(large.length / 10);
  }

  @Test
  void a_restart_with_the_same_key_serves_the_files_and_without_it_serves_nothing_wrong() {
    Path data = tmp.resolve("data");
    byte[] content = knownText(100_000);
    String id;
    try (TestServer server = TestServer.start(data)) {
      id = server.newAccount("alice").uploaded("/a.txt", content).path("id").asText();
    }
    try (TestServer again = TestServer.start(data)) {
      Account alice = again.login("alice");
      assertThat(alice.get("/api/v1/files/" + id).expect(200).body()).isEqualTo(content);
    }
    Path otherKey = tmp.resolve("elsewhere.key");
    try (TestServer wrongKey =
        TestServer.start(
            data, c -> c.withEncryption(new ServerConfig.Encryption(true, otherKey, null)))) {
      Account alice = wrongKey.login("alice");
      alice.get("/api/v1/files/" + id).expectProblem(500, "blob-corrupt");
    }
  }

  @Test
  void a_master_key_inside_the_data_directory_is_refused_at_start() {
    Path data = tmp.resolve("data");
    assertThatThrownBy(
            () ->
                TestServer.start(
                    data,
                    c ->
                        c.withEncryption(
                            new ServerConfig.Encryption(true, data.resolve("master.key"), null))))
        .hasMessageContaining("must live outside the data directory");
  }

  @Test
  void with_encryption_off_blobs_are_stored_as_they_are() throws IOException {
    Path data = tmp.resolve("data");
    try (TestServer server =
        TestServer.start(data, c -> c.withEncryption(ServerConfig.Encryption.OFF))) {
      server.newAccount("alice").uploaded("/a.txt", knownText(3_000));
      assertThat(anyContains(everyFile(data.resolve("blobs")), "swordfish")).isTrue();
    }
    assertThat(tmp.resolve("data.key")).doesNotExist();
  }
}
