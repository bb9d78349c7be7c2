package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of an embedded server, fsck, and what a restore from one looks like to a device: a new
 * history, so its old cursor is refused and it starts over.
 */
class BackupApiTest {

  @TempDir Path tmp;

  private static Map<String, String> path(Path folder) {
    return Map.of("path", folder.toString());
  }

  /** Restores {@code backup} as the data directory {@code data}, as docs/OPERATIONS.md says. */
  private static void restore(Path backup, Path data) throws IOException {
    try (Stream<Path> walk = Files.walk(data)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    try (Stream<Path> walk = Files.walk(backup)) {
      for (Path p : walk.toList()) {
        Path to = data.resolve(backup.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
  }

  @Test
  void a_restored_backup_serves_what_was_backed_up_and_old_cursors_start_over() throws Exception {
    if (TestServer.ON_POSTGRES) {
      return; // PostgreSQL metadata is backed up with pg_dump: see the test below
    }
    Path data = tmp.resolve("data");
    Path backup = tmp.resolve("backup");
    byte[] before = "backed up\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    String cursor;
    String beforeId;
    try (TestServer server = TestServer.start(data)) {
      Account alice = server.newAccount("alice");
      beforeId = alice.uploaded("/before.txt", before).path("id").asText();

      JsonNode report = alice.post("/api/v1/admin/backup", path(backup)).expect(200).json();
      assertThat(report.path("chunksCopied").asLong()).isEqualTo(1);
      assertThat(report.path("unreadable")).isEmpty();
      assertThat(backup.resolve("BACKUP.txt")).exists();

      alice.uploaded("/after.txt", "written after the backup".getBytes(StandardCharsets.UTF_8));
      cursor = changesToTheEnd(alice);
      // A second run brings the backup up to date and writes only the new chunk.
      JsonNode again = alice.post("/api/v1/admin/backup", path(backup)).expect(200).json();
      assertThat(again.path("chunksCopied").asLong()).isEqualTo(1);
      assertThat(again.path("chunksPresent").asLong()).isEqualTo(1);
      assertThat(again.path("epoch").asText()).isNotEqualTo(report.path("epoch").asText());
    }
    Path first = tmp.resolve("first-backup");
    try (TestServer server = TestServer.start(data)) {
      Account alice = server.login("alice");
      alice.post("/api/v1/admin/backup", path(first)).expect(200);
      alice.uploaded("/later.txt", "only on the live server".getBytes(StandardCharsets.UTF_8));
      cursor = changesToTheEnd(alice);
    }

    restore(first, data);

    try (TestServer restored = TestServer.start(data)) {
      Account alice = restored.login("alice");
      assertThat(alice.get("/api/v1/files/" + beforeId).expect(200).body()).isEqualTo(before);
      alice.lookup("/later.txt").expect(404);
      // The device's cursor is from the live server's history: refused, so it starts over...
      alice.get("/api/v1/changes?cursor=" + cursor).expectProblem(400, "invalid-cursor");
      // ...and a long-poll on it returns at once instead of waiting for changes that never come.
      JsonNode poll =
          alice.get("/api/v1/changes/wait?cursor=" + cursor + "&timeout=30").expect(200).json();
      assertThat(poll.path("changed").asBoolean()).isTrue();
      JsonNode fsck = alice.post("/api/v1/admin/fsck", null).expect(200).json();
      assertThat(fsck.path("findings")).isEmpty();
      assertThat(fsck.path("missing")).isEmpty();
    }
  }

  private static String changesToTheEnd(Account alice) {
    String cursor = "";
    while (true) {
      JsonNode page = alice.get("/api/v1/changes?cursor=" + cursor).expect(200).json();
      cursor = page.path("cursor").asText();
      if (!page.path("hasMore").asBoolean()) {
        return cursor;
      }
    }
  }

  @Test
  void bad_backup_folders_are_refused_in_words() throws Exception {
    Path data = tmp.resolve("data");
    try (TestServer server = TestServer.start(data)) {
      Account alice = server.newAccount("alice");
      alice
          .post("/api/v1/admin/backup", Map.of("path", "relative/folder"))
          .expectProblem(400, "invalid-path");
      alice
          .post("/api/v1/admin/backup", path(data.resolve("inside")))
          .expectProblem(400, "invalid-path");
      alice.post("/api/v1/admin/backup", path(tmp)).expectProblem(400, "invalid-path");
      Path busy = Files.createDirectories(tmp.resolve("busy"));
      Files.writeString(busy.resolve("notes.txt"), "someone's files");
      alice.post("/api/v1/admin/backup", path(busy)).expectProblem(409, "backup-folder-in-use");
      assertThat(busy.resolve("metadata.db")).doesNotExist();
      Account bob = server.newAccount("bob");
      bob.post("/api/v1/admin/backup", path(tmp.resolve("b"))).expectProblem(403, "admin-only");
      bob.post("/api/v1/admin/fsck", null).expectProblem(403, "admin-only");
      if (TestServer.ON_POSTGRES) {
        alice
            .post("/api/v1/admin/backup", path(tmp.resolve("pg")))
            .expectProblem(409, "backup-unsupported");
      }
    }
  }

  @Test
  void fsck_of_a_store_with_a_missing_chunk_names_the_file() throws Exception {
    Path data = tmp.resolve("data");
    try (TestServer server = TestServer.start(data)) {
      Account alice = server.newAccount("alice");
      byte[] content = "soon without its chunk".getBytes(StandardCharsets.UTF_8);
      String id = alice.uploaded("/gone.txt", content).path("id").asText();
      String hex = coffer.core.hash.Sha256.of(content).hex();
      Files.delete(data.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex));

      JsonNode fsck = alice.post("/api/v1/admin/fsck", null).expect(200).json();
      assertThat(fsck.path("findings")).isEmpty();
      assertThat(fsck.path("missing")).hasSize(1);
      assertThat(fsck.path("missing").get(0).path("files").get(0).asText())
          .isEqualTo("gone.txt (" + id + ")");
      assertThat(fsck.path("nodes").asLong()).isEqualTo(2);
    }
  }
}
