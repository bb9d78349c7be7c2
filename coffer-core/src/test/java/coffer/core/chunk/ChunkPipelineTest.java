package coffer.core.chunk;

import static coffer.core.chunk.Chunking.SMALL;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkPipelineTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(3);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /**
   * Hashing through a few reused buffers gives exactly what cutting into fresh arrays gives: no
   * buffer is refilled while its chunk is still being hashed on another thread.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 100, 4_095, 70_000, 1_000_000})
  void hashing_through_reused_buffers_gives_what_fresh_chunks_give(int size) throws IOException {
    byte[] data = Chunking.randomBytes(size, size);
    ChunkPipeline pipeline = new ChunkPipeline(new FastCdc(SMALL), pool, 2);

    List<ChunkPipeline.Hashed> expected =
        pipeline.process(
            new ByteArrayInputStream(data),
            c -> new ChunkPipeline.Hashed(c.offset(), c.length(), c.hash()));
    List<ChunkPipeline.Hashed> reused =
        pipeline.hashes(new ByteArrayInputStream(data), SMALL.maxSize());

    assertThat(reused).isEqualTo(expected);
    assertThat(reused.stream().mapToLong(ChunkPipeline.Hashed::length).sum()).isEqualTo(size);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 100, 4_095})
  void a_stream_longer_than_its_buffers_is_still_read_to_its_end(int bufferSize)
      throws IOException {
    byte[] data = Chunking.randomBytes(9, 50_000);
    ChunkPipeline pipeline = new ChunkPipeline(new FastCdc(SMALL), pool, 2);

    List<ChunkPipeline.Hashed> hashed = pipeline.hashes(new ByteArrayInputStream(data), bufferSize);

    assertThat(hashed).allMatch(h -> h.length() <= bufferSize);
    assertThat(hashed.stream().mapToLong(ChunkPipeline.Hashed::length).sum()).isEqualTo(50_000);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100, 70_000, 1_000_000})
  void on_the_callers_thread_it_cuts_the_same_chunks_and_runs_every_step_there(int size)
      throws IOException {
    byte[] data = Chunking.randomBytes(size + 1, size);
    ChunkPipeline pipeline = new ChunkPipeline(new FastCdc(SMALL), pool, 2);
    Thread caller = Thread.currentThread();

    List<ChunkPipeline.Hashed> pooled =
        pipeline.process(
            new ByteArrayInputStream(data),
            c -> new ChunkPipeline.Hashed(c.offset(), c.length(), c.hash()));
    List<ChunkPipeline.Hashed> here =
        pipeline
            .onCallerThread()
            .process(
                new ByteArrayInputStream(data),
                c -> {
                  assertThat(Thread.currentThread()).isSameAs(caller);
                  return new ChunkPipeline.Hashed(c.offset(), c.length(), c.hash());
                });

    assertThat(here).isEqualTo(pooled);
  }
}
