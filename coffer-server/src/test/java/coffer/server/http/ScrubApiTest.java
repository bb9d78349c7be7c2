package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.hash.Sha256;
import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scrub: every stored chunk read back and verified; damage is reported and never served. */
class ScrubApiTest extends FreshServerTest {

  @Test
  void an_intact_store_scrubs_clean() {
    alice.uploaded("/a.bin", bytes(200_000, 1));
    alice.uploaded("/b.bin", bytes(10, 2));
    JsonNode report = alice.post("/api/v1/admin/scrub", null).expect(200).json();
    assertThat(report.path("chunksChecked").asLong()).isEqualTo(2);
    assertThat(report.path("bytesChecked").asLong()).isEqualTo(200_010);
    assertThat(report.path("corrupt")).isEmpty();
    assertThat(report.path("missing")).isEmpty();
  }

  @Test
  void a_flipped_byte_is_reported_with_its_file_and_the_download_fails_cleanly()
      throws IOException {
    byte[] content = bytes(200_000, 3);
    String id = alice.uploaded("/photos/beach.jpg", content).path("id").asText();
    Path blob = blobOf(content);
    try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
      file.seek(1234);
      int b = file.read();
      file.seek(1234);
      file.write(b ^ 0x01);
    }

    JsonNode report = alice.post("/api/v1/admin/scrub", null).expect(200).json();
    assertThat(report.path("corrupt")).hasSize(1);
    assertThat(report.path("corrupt").get(0).path("hash").asText())
        .isEqualTo(Sha256.of(content).hex());
    assertThat(report.path("corrupt").get(0).path("files").get(0).asText())
        .isEqualTo("beach.jpg (" + id + ")");
    assertThat(report.path("missing")).isEmpty();

    alice.get("/api/v1/files/" + id).expectProblem(500, "blob-corrupt");
  }

  @Test
  void a_truncated_blob_and_a_missing_one_are_reported() throws IOException {
    byte[] short1 = bytes(5_000, 4);
    byte[] gone = bytes(6_000, 5);
    alice.uploaded("/short.bin", short1);
    String goneId = alice.uploaded("/gone.bin", gone).path("id").asText();
    Files.write(blobOf(short1), new byte[] {1, 2, 3});
    Files.delete(blobOf(gone));

    JsonNode report = alice.post("/api/v1/admin/scrub", null).expect(200).json();
    assertThat(report.path("corrupt")).hasSize(1);
    assertThat(report.path("missing")).hasSize(1);
    assertThat(report.path("missing").get(0).path("files").get(0).asText())
        .isEqualTo("gone.bin (" + goneId + ")");
    alice.get("/api/v1/files/" + goneId).expectProblem(500, "blob-missing");
  }

  @Test
  void only_an_admin_scrubs() {
    Account bob = server.newAccount("bob");
    bob.post("/api/v1/admin/scrub", null).expectProblem(403, "admin-only");
  }

  private Path blobOf(byte[] content) {
    String hex = Sha256.of(content).hex();
    return data.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex);
  }

  private static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }
}
