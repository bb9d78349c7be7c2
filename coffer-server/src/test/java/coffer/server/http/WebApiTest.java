package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** What the web UI needs from the server: its files, a zip of a folder, a cursor at "now". */
class WebApiTest extends FreshServerTest {

  @Test
  void the_page_and_its_files_are_served_locked_down_and_revalidated() {
    var page = server.get("/").expect(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.text()).contains("<script type=\"module\" src=\"/ui/app.js\">");
    assertThat(page.header("Content-Security-Policy"))
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");

    var script = server.get("/ui/app.js").expect(200);
    assertThat(script.contentType()).startsWith("text/javascript");
    String etag = script.header("ETag");
    assertThat(etag).isNotBlank();
    server.get("/ui/app.js", "If-None-Match", etag).expect(304);

    server.get("/ui/nothing.js").expectProblem(404, "not-found");
    server.get("/ui/index.html").expectProblem(404, "not-found");
  }

  @Test
  void a_folder_downloads_as_a_zip_of_everything_under_it() throws IOException {
    byte[] big = new byte[3 << 20];
    new Random(1).nextBytes(big);
    alice.uploaded("/Photos/2026/beach.jpg", big);
    alice.uploaded("/Photos/notes.txt", "sand".getBytes());
    alice.folder("/Photos/empty");
    alice.uploaded("/elsewhere.txt", new byte[] {1});
    String photos = alice.lookup("/Photos").json().path("id").asText();

    var zip = alice.get("/api/v1/files/" + photos + "/zip").expect(200);
    assertThat(zip.contentType()).isEqualTo("application/zip");
    assertThat(zip.header("Content-Disposition")).startsWith("attachment;").contains("Photos.zip");
    Map<String, byte[]> entries = unzip(zip.body());
    assertThat(entries.keySet()).containsExactlyInAnyOrder("2026/beach.jpg", "notes.txt", "empty/");
    assertThat(entries.get("2026/beach.jpg")).isEqualTo(big);
    assertThat(entries.get("notes.txt")).isEqualTo("sand".getBytes());

    String file = alice.lookup("/elsewhere.txt").json().path("id").asText();
    alice.get("/api/v1/files/" + file + "/zip").expectProblem(409, "not-a-folder");
    Account bob = server.newAccount("bob");
    bob.get("/api/v1/files/" + photos + "/zip").expectProblem(404, "not-found");
    server.get("/api/v1/files/" + photos + "/zip").expectProblem(401);
  }

  @Test
  void a_zip_with_a_damaged_chunk_inside_is_never_a_valid_zip() throws IOException {
    byte[] good = "fine".getBytes();
    byte[] damaged = new byte[100_000];
    new Random(2).nextBytes(damaged);
    alice.uploaded("/Broken/a.txt", good);
    alice.uploaded("/Broken/b.bin", damaged);
    String hex = coffer.core.hash.Sha256.of(damaged).hex();
    java.nio.file.Path blob = data.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex);
    byte[] bytes = java.nio.file.Files.readAllBytes(blob);
    bytes[500] ^= 1;
    java.nio.file.Files.write(blob, bytes);
    String folder = alice.lookup("/Broken").json().path("id").asText();

    byte[] body;
    try {
      body = alice.get("/api/v1/files/" + folder + "/zip").body();
    } catch (RuntimeException cut) {
      return; // the connection was cut: nobody mistakes that for a whole zip
    }
    java.nio.file.Path saved = data.resolve("broken.zip");
    java.nio.file.Files.write(saved, body);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> {
              try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(saved.toFile())) {
                zip.size();
              }
            })
        .isInstanceOf(IOException.class);
  }

  @Test
  void the_latest_cursor_reads_only_what_changes_after_it() {
    alice.uploaded("/before.txt", new byte[] {1});
    String cursor = alice.get("/api/v1/changes/latest").expect(200).json().path("cursor").asText();
    JsonNode nothing = alice.get("/api/v1/changes?cursor=" + cursor).expect(200).json();
    assertThat(nothing.path("entries")).isEmpty();
    assertThat(nothing.path("hasMore").asBoolean()).isFalse();
    assertThat(
            alice
                .get("/api/v1/changes/wait?timeout=0&cursor=" + cursor)
                .expect(200)
                .json()
                .path("changed")
                .asBoolean())
        .isFalse();

    alice.uploaded("/after.txt", new byte[] {2});
    JsonNode page = alice.get("/api/v1/changes?cursor=" + cursor).expect(200).json();
    assertThat(page.path("entries")).hasSize(1);
    assertThat(page.path("entries").get(0).path("path").asText()).isEqualTo("/after.txt");
    server.get("/api/v1/changes/latest").expectProblem(401);
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }
}
