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
      // Blobs are encrypted here: the server's own checks read each back, open and hash it.
      coffer.core.api.ScrubReport scrub = client.adminScrub();
      assertThat(scrub.clean()).as("scrub after the crash: %s", scrub).isTrue();
      assertThat(scrub.chunksChecked()).isPositive();
      assertThat(client.adminFsck().clean()).as("fsck after the crash").isTrue();
    }
  }

  /**
   * A thousand uploads and commits run at once, 32 at a time, small ones and multi-chunk ones, and
   * the server is killed in the middle. After a restart every acknowledged file is there byte for
   * byte, every file the server shows is one that was sent (nothing half-stored or mixed), every
   * chunk a committed revision names is stored whole and hashes right, and the interrupted uploads
   * run again to completion, sending only the chunks that had not arrived.
   */
  @Test
  void a_server_killed_during_a_thousand_concurrent_uploads_keeps_every_acknowledged_file()
      throws Exception {
    Path data = tmp.resolve("flood");
    Map<String, byte[]> sent = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Path> sources = new LinkedHashMap<>();
    Random random = new Random(11);
    for (int i = 0; i < 1000; i++) {
      byte[] content =
          new byte
              [i % 40 == 0 ? (4 << 20) + random.nextInt(4 << 20) : 1 + random.nextInt(64 << 10)];
      random.nextBytes(content);
      Path file = tmp.resolve("flood-" + i);
      Files.write(file, content);
      sources.put("/flood/" + (i % 10) + "/file-" + i, file);
      sent.put("/flood/" + (i % 10) + "/file-" + i, content);
    }
    Map<String, Boolean> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicInteger acks =
        new java.util.concurrent.atomic.AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    String token;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(32);
    try {
      // A thousand uploads from one user at once: more than the default rate limit allows.
      // Unencrypted, so badBlobs can hash every blob on its own; scrub and fsck check through the
      // server.
      try (Server server = Server.start(data, "--user-rate", "0", "--encrypt-blobs", "false")) {
        CofferClient anonymous = new CofferClient(URI.create(server.url()), null);
        anonymous.signup("flood", "hunter2hunter2");
        token = anonymous.login("flood", "hunter2hunter2", "flood-test").token();
        CofferClient client = new CofferClient(URI.create(server.url()), token);
        List<java.util.concurrent.Future<?>> uploads = new ArrayList<>();
        for (Map.Entry<String, Path> upload : sources.entrySet()) {
          uploads.add(
              pool.submit(
                  () -> {
                    // The server dies once 300 files are acknowledged and a large one is half
                    // sent, so some uploads stop between their chunks.
                    Progress killMidway =
                        (done, total) -> {
                          if (acks.get() >= 300
                              && total > (2 << 20)
                              && done > total / 2
                              && killed.compareAndSet(false, true)) {
                            CompletableFuture.runAsync(server::kill);
                          }
                        };
                    client.putChunked(
                        upload.getValue(),
                        new UploadMetadata(upload.getKey(), null, null, false, null),
                        killMidway);
                    acknowledged.put(upload.getKey(), true);
                    acks.incrementAndGet();
                    return null;
                  }));
        }
        for (java.util.concurrent.Future<?> upload : uploads) {
          try {
            upload.get();
          } catch (java.util.concurrent.ExecutionException refusedOrCut) {
            // the server died under it
          }
        }
        server.process().waitFor();
      }
      assertThat(killed).isTrue();
      assertThat(acknowledged.size()).isBetween(300, 999);

      try (Server restarted = Server.start(data, "--user-rate", "0", "--encrypt-blobs", "false")) {
        CofferClient client = new CofferClient(URI.create(restarted.url()), token);
        assertSame(pool, client, acknowledged.keySet(), sent);
        assertThat(badBlobs(data)).isEmpty();
        coffer.core.api.FsckReport fsck = client.adminFsck();
        assertThat(fsck.findings()).as("fsck after the crash").isEmpty();
        assertThat(fsck.missing()).as("fsck after the crash").isEmpty();
        coffer.core.api.ScrubReport scrub = client.adminScrub();
        assertThat(scrub.clean()).as("scrub after the crash: %s", scrub).isTrue();

        List<String> interrupted =
            sources.keySet().stream().filter(p -> !acknowledged.containsKey(p)).toList();
        java.util.concurrent.atomic.AtomicInteger resumedWithLess =
            new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> again = new ArrayList<>();
        for (String path : interrupted) {
          again.add(
              pool.submit(
                  () -> {
                    coffer.client.PutResult put =
                        client.putChunked(
                            sources.get(path),
                            new UploadMetadata(path, null, null, true, null),
                            Progress.NONE);
                    if (put.chunks() > 1 && put.chunksSent() < put.chunks()) {
                      resumedWithLess.incrementAndGet();
                    }
                    return null;
                  }));
        }
        for (java.util.concurrent.Future<?> upload : again) {
          upload.get();
        }
        assertSame(pool, client, interrupted, sent);
        assertThat(badBlobs(data)).isEmpty();
        assertThat(client.adminFsck().clean()).as("fsck after the resumed uploads").isTrue();
        System.out.printf(
            "flood: %d of 1000 acknowledged before the kill; %d resumed, %d of them sending only"
                + " some chunks%n",
            acknowledged.size(), interrupted.size(), resumedWithLess.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Downloads (in parallel) and compares every file of {@code paths}. */
  private void assertSame(
      java.util.concurrent.ExecutorService pool,
      CofferClient client,
      java.util.Collection<String> paths,
      Map<String, byte[]> sent)
      throws Exception {
    List<java.util.concurrent.Future<?>> checks = new ArrayList<>();
    for (String path : paths) {
      checks.add(
          pool.submit(
              () -> {
                assertThat(download(client, path)).as(path).isEqualTo(sent.get(path));
                return null;
              }));
    }
    for (java.util.concurrent.Future<?> check : checks) {
      check.get();
    }
  }

  private byte[] download(CofferClient client, String path) throws Exception {
    Path copy = Files.createTempFile(tmp, "copy", ".bin");
    client.download(client.lookup(path), copy, Progress.NONE);
    byte[] bytes = Files.readAllBytes(copy);
    Files.delete(copy);
    return bytes;
  }

  private static List<String> badBlobs(Path data) throws Exception {
    List<String> bad = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("metadata.db"));
        ResultSet rs =
            db.createStatement().executeQuery("SELECT chunk_hash, length FROM revision_chunks")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        String hash = rs.getString(1);
        Path blob = data.resolve("blobs").resolve(hash.substring(0, 2)).resolve(hash);
        if (!Files.exists(blob)
            || Files.size(blob) != rs.getLong(2)
            || !coffer.core.hash.Sha256.of(Files.readAllBytes(blob)).hex().equals(hash)) {
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
