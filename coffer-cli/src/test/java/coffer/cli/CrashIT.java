package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.cli.Processes.Server;
import coffer.client.ApiException;
import coffer.client.CofferClient;
import coffer.client.Progress;
import coffer.core.api.FileMetadata;
import coffer.core.api.UploadMetadata;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of the server in the middle of an upload loses nothing that was acknowledged. */
class CrashIT {

  @TempDir Path tmp;

  @Test
  void a_server_killed_during_an_upload_serves_every_completed_file_after_restart()
      throws Exception {
    Path data = tmp.resolve("data");
    Map<String, byte[]> completed = new LinkedHashMap<>();
    Path big = tmp.resolve("big.bin");
    writeRandom(big, 200L << 20, 7);

    String token;
    try (Server server = Server.start(data)) {
      CofferClient anonymous = new CofferClient(URI.create(server.url()), null);
      anonymous.signup("alice", "hunter2hunter2");
      token = anonymous.login("alice", "hunter2hunter2", "crash-test").token();
      CofferClient client = new CofferClient(URI.create(server.url()), token);

      Random random = new Random(3);
      for (int i = 0; i < 20; i++) {
        byte[] content = new byte[random.nextInt(3 << 20)];
        random.nextBytes(content);
        Path file = tmp.resolve("small-" + i);
        Files.write(file, content);
        String path = "/done/file-" + i;
        client.upload(file, new UploadMetadata(path, null, null, false, null), Progress.NONE);
        completed.put(path, content);
      }

      AtomicBoolean killed = new AtomicBoolean();
      Progress killHalfway =
          (done, total) -> {
            if (done > total / 2 && killed.compareAndSet(false, true)) {
              CompletableFuture.runAsync(server::kill);
            }
          };
      assertThatThrownBy(
              () ->
                  client.upload(
                      big,
                      new UploadMetadata("/interrupted.bin", null, null, false, null),
                      killHalfway))
          .isInstanceOf(RuntimeException.class);
      assertThat(killed).isTrue();
      server.process().waitFor();
    }

    try (Server restarted = Server.start(data)) {
      CofferClient client = new CofferClient(URI.create(restarted.url()), token);
      for (Map.Entry<String, byte[]> entry : completed.entrySet()) {
        FileMetadata meta = client.lookup(entry.getKey());
        Path copy = tmp.resolve("copy");
        client.download(meta, copy, Progress.NONE);
        assertThat(Files.readAllBytes(copy)).as(entry.getKey()).isEqualTo(entry.getValue());
      }
      assertThatThrownBy(() -> client.lookup("/interrupted.bin"))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
      assertThat(missingOrPartialBlobs(data)).isEmpty();
    }
  }

  /** Chunks that metadata references but the blob store lacks or holds with the wrong length. */
  private static List<String> missingOrPartialBlobs(Path data) throws Exception {
    List<String> bad = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("metadata.db"));
        ResultSet rs =
            db.createStatement().executeQuery("SELECT chunk_hash, length FROM revision_chunks")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        String hash = rs.getString(1);
        Path blob = data.resolve("blobs").resolve(hash.substring(0, 2)).resolve(hash);
        if (!Files.exists(blob) || Files.size(blob) != rs.getLong(2)) {
          bad.add(hash);
        }
      }
      assertThat(rows).as("chunks referenced by committed revisions").isPositive();
    }
    return bad;
  }

  private static void writeRandom(Path file, long size, long seed) throws Exception {
    Random random = new Random(seed);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        out.write(block);
      }
    }
  }
}
