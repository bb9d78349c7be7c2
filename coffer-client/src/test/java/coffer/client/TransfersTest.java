package coffer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.core.api.ChunkTransfer;
import coffer.core.api.FileManifest;
import coffer.core.api.FileMetadata;
import coffer.core.hash.Sha256;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delta downloads: chunks at hand locally are copied, and only verified copies count. */
class TransfersTest {

  @TempDir Path tmp;

  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final Map<String, byte[]> served = new HashMap<>();
  private final List<String> fetched = new ArrayList<>();

  @AfterEach
  void stop() {
    workers.shutdownNow();
  }

  /** Three chunks of 64 KiB: the file's manifest on a server that counts what is fetched. */
  private byte[][] chunks() {
    byte[][] chunks = new byte[3][64 << 10];
    Random random = new Random(3);
    for (byte[] chunk : chunks) {
      random.nextBytes(chunk);
    }
    return chunks;
  }

  private Transfers transfers(byte[][] chunks) {
    List<ChunkTransfer> list = new ArrayList<>();
    MessageDigest content = Sha256.newDigest();
    long size = 0;
    for (byte[] chunk : chunks) {
      String hash = Sha256.of(chunk).hex();
      served.put(hash, chunk);
      list.add(new ChunkTransfer(hash, chunk.length, "/chunks/" + hash, Map.of(), Instant.MAX));
      Sha256.parse(hash).updateInto(content);
      size += chunk.length;
    }
    FileMetadata file =
        new FileMetadata(
            "f1",
            "FILE",
            "big.bin",
            "/big.bin",
            "root",
            size,
            Sha256.ofDigest(content.digest()).hex(),
            "r1",
            Instant.EPOCH,
            Instant.EPOCH);
    ServerApi api =
        (ServerApi)
            Proxy.newProxyInstance(
                ServerApi.class.getClassLoader(),
                new Class<?>[] {ServerApi.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "manifest" -> new FileManifest(file, list);
                      case "fetchChunk" -> {
                        ChunkTransfer chunk = (ChunkTransfer) args[0];
                        synchronized (fetched) {
                          fetched.add(chunk.hash());
                        }
                        yield served.get(chunk.hash());
                      }
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
    return new Transfers(api, workers);
  }

  private static byte[] joined(byte[][] chunks) {
    byte[] all = new byte[Arrays.stream(chunks).mapToInt(c -> c.length).sum()];
    int at = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, all, at, chunk.length);
      at += chunk.length;
    }
    return all;
  }

  private Transfers.Downloaded download(Transfers transfers, Path target, Path old) {
    Map<String, Transfers.Span> spans = new HashMap<>();
    byte[][] oldChunks = chunks();
    long offset = 0;
    for (byte[] chunk : oldChunks) {
      spans.put(Sha256.of(chunk).hex(), new Transfers.Span(old, offset, chunk.length));
      offset += chunk.length;
    }
    return transfers.download(
        "f1", null, new Transfers.Destination(target, spans::get, () -> {}, false), Progress.NONE);
  }

  @Test
  void chunks_found_in_a_local_file_are_copied_and_only_the_others_fetched() throws Exception {
    byte[][] chunks = chunks();
    Path old = tmp.resolve("old.bin");
    Files.write(old, joined(chunks));
    chunks[1] = chunks[1].clone();
    chunks[1][7] ^= 1; // the new version differs in its middle chunk
    Path target = tmp.resolve("big.bin");

    Transfers.Downloaded result = download(transfers(chunks), target, old);

    assertThat(Files.readAllBytes(target)).isEqualTo(joined(chunks));
    assertThat(fetched).containsExactly(Sha256.of(chunks[1]).hex());
    assertThat(result.chunksFetched()).isEqualTo(1);
  }

  @Test
  void a_local_file_changed_since_it_was_seen_is_never_copied_unverified() throws Exception {
    byte[][] chunks = chunks();
    Path old = tmp.resolve("old.bin");
    byte[] changed = joined(chunks);
    changed[(64 << 10) * 2 + 5] ^= 1; // the last chunk's bytes changed on disk after the scan
    Files.write(old, changed);
    Path target = tmp.resolve("big.bin");

    Transfers.Downloaded result = download(transfers(chunks), target, old);

    assertThat(Files.readAllBytes(target)).isEqualTo(joined(chunks));
    assertThat(fetched).containsExactly(Sha256.of(chunks[2]).hex());
    assertThat(result.chunksFetched()).isEqualTo(1);
  }

  @Test
  void a_local_file_gone_shorter_or_made_a_folder_means_the_chunks_are_fetched() throws Exception {
    byte[][] chunks = chunks();
    Path old = tmp.resolve("old.bin");
    Files.write(old, Arrays.copyOf(joined(chunks), (64 << 10) + 100)); // truncated
    Path target = tmp.resolve("big.bin");

    download(transfers(chunks), target, old);
    assertThat(Files.readAllBytes(target)).isEqualTo(joined(chunks));
    assertThat(fetched).hasSize(2);

    fetched.clear();
    Files.delete(old);
    Files.delete(target);
    download(transfers(chunks), target, old);
    assertThat(Files.readAllBytes(target)).isEqualTo(joined(chunks));
    assertThat(fetched).hasSize(3);

    fetched.clear();
    Files.createDirectory(old); // a folder where the file was
    Files.delete(target);
    download(transfers(chunks), target, old);
    assertThat(Files.readAllBytes(target)).isEqualTo(joined(chunks));
    assertThat(fetched).hasSize(3);
  }

  /** The chunk list of {@code chunks} as a contents frame gives it. */
  private static List<coffer.core.api.ChunkInfo> infos(byte[][] chunks) {
    return Arrays.stream(chunks)
        .map(c -> new coffer.core.api.ChunkInfo(Sha256.of(c).hex(), c.length))
        .toList();
  }

  @Test
  void a_file_received_whole_is_placed_as_the_uploader_cut_it() throws Exception {
    // Three 64 KiB chunks: not where this client's own chunker would cut (one chunk, here).
    byte[][] chunks = chunks();
    List<coffer.core.api.ChunkInfo> infos = infos(chunks);
    String content = LocalChunks.ofList(infos).contentHash();
    Path target = tmp.resolve("whole.bin");
    Files.writeString(target, "the old version");

    transfers(chunks)
        .place(
            joined(chunks),
            infos,
            content,
            new Transfers.Destination(target, Transfers.ChunkSource.NONE, () -> {}, false));

    assertThat(Files.readAllBytes(target)).isEqualTo(joined(chunks));
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".coffer-part"));
    }
  }

  @Test
  void bytes_that_do_not_match_their_chunks_or_the_content_hash_leave_the_target_alone()
      throws Exception {
    byte[][] chunks = chunks();
    List<coffer.core.api.ChunkInfo> infos = infos(chunks);
    String content = LocalChunks.ofList(infos).contentHash();
    Path target = tmp.resolve("kept.txt");
    Files.writeString(target, "the old version");
    Transfers transfers = transfers(chunks);
    Transfers.Destination destination =
        new Transfers.Destination(target, Transfers.ChunkSource.NONE, () -> {}, false);
    byte[] damaged = joined(chunks);
    damaged[70_000] ^= 1;

    assertThatThrownBy(() -> transfers.place(damaged, infos, content, destination))
        .hasMessageContaining("do not match their chunks");
    assertThatThrownBy(
            () -> transfers.place(joined(chunks), infos, Sha256.of(new byte[1]).hex(), destination))
        .hasMessageContaining("content hash");
    assertThatThrownBy(
            () -> transfers.place(joined(chunks), infos.subList(0, 2), content, destination))
        .hasMessageContaining("content hash");

    assertThat(Files.readString(target)).isEqualTo("the old version");
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".coffer-part"));
    }
  }
}
