package coffer.client;

import static org.assertj.core.api.Assertions.assertThat;

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
}
