package coffer.client;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.chunk.ChunkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalChunksTest {

  @TempDir Path dir;

  @Test
  void the_quick_hash_of_small_files_equals_the_chunkers_at_every_size_edge() throws Exception {
    int min = ChunkerConfig.DEFAULT.minSize();
    Random random = new Random(5);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int size : new int[] {0, 1, 4096, min - 1, min, min + 1, 3 * min}) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        Path file = dir.resolve("f" + size);
        Files.write(file, data);
        assertThat(LocalChunks.contentHashOf(file, pool))
            .as("size %d", size)
            .isEqualTo(LocalChunks.of(file, pool).contentHash());
      }
    }
  }
}
