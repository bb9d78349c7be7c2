package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.FreshServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A rename or move is metadata only, however large what is moved. */
class MoveCostTest extends FreshServerTest {

  private static final long GIB = 1L << 30;

  /** Distinct pseudo-random bytes, generated as they are read. */
  private static InputStream randomBytes(long length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return new InputStream() {
      long left = length;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) random.nextInt(256);
        }
        left -= n;
        return n;
      }
    };
  }

  /** Every blob file with its size and modification time. */
  private Map<String, String> blobs() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(data.resolve("blobs"))) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        FileTime modified = Files.getLastModifiedTime(p);
        files.put(data.relativize(p).toString(), Files.size(p) + "@" + modified.toMillis());
      }
    }
    return files;
  }

  @Test
  void renaming_a_folder_that_holds_a_gibibyte_moves_no_chunk_bytes_and_writes_one_entry()
      throws IOException {
    String folder = alice.folder("/big").path("id").asText();
    alice.upload("/big/disk.img", () -> randomBytes(GIB, 42), GIB).expect(201);
    Map<String, String> before = blobs();
    assertThat(before.values().stream().mapToLong(v -> Long.parseLong(v.split("@")[0])).sum())
        .isGreaterThanOrEqualTo(GIB);
    JsonNode page = alice.get("/api/v1/changes").expect(200).json();
    while (page.path("hasMore").asBoolean()) {
      page = alice.get("/api/v1/changes?cursor=" + page.path("cursor").asText()).expect(200).json();
    }
    String cursor = page.path("cursor").asText();

    alice.patch("/api/v1/files/" + folder, Map.of("name", "renamed")).expect(200);

    assertThat(blobs()).isEqualTo(before);
    JsonNode entries =
        alice.get("/api/v1/changes?cursor=" + cursor).expect(200).json().path("entries");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).path("op").asText()).isEqualTo("move");
    assertThat(entries.get(0).path("path").asText()).isEqualTo("/renamed");
    assertThat(alice.lookup("/renamed/disk.img").expect(200).json().path("size").asLong())
        .isEqualTo(GIB);
  }
}
