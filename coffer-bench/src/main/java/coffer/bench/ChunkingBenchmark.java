package coffer.bench;

import coffer.core.chunk.Chunk;
import coffer.core.chunk.ChunkPipeline;
import coffer.core.chunk.ChunkReader;
import coffer.core.chunk.ChunkerConfig;
import coffer.core.chunk.FastCdc;
import coffer.core.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chunking and hashing 256 MiB of random data, beside the JDK's bare single-thread SHA-256 of the
 * same bytes: the ratio of the two is the figure that matters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class ChunkingBenchmark {

  private static final int SIZE = 256 << 20;
  private byte[] data;
  private FastCdc cdc;

  private ExecutorService pool;
  private ChunkPipeline pipeline;

  @Setup
  public void setUp() {
    data = new byte[SIZE];
    new Random(42).nextBytes(data);
    cdc = new FastCdc(ChunkerConfig.DEFAULT);
    pool = Executors.newFixedThreadPool(2);
    pipeline = new ChunkPipeline(cdc, pool, 4);
  }

  @TearDown
  public void tearDown() {
    pool.shutdownNow();
  }

  /** What upload and ingest do: cut on this thread, hash on two others. */
  @Benchmark
  public Sha256 chunkAndHashPipelined() throws IOException {
    MessageDigest content = Sha256.newDigest();
    for (Sha256 hash : pipeline.process(new ByteArrayInputStream(data), Chunk::hash)) {
      hash.updateInto(content);
    }
    return Sha256.ofDigest(content.digest());
  }

  /** What the sync client's scan does: the same, through a few reused buffers. */
  @Benchmark
  public Sha256 chunkAndHashReusingBuffers() throws IOException {
    MessageDigest content = Sha256.newDigest();
    for (ChunkPipeline.Hashed chunk :
        pipeline.hashes(new ByteArrayInputStream(data), ChunkerConfig.DEFAULT.maxSize())) {
      chunk.hash().updateInto(content);
    }
    return Sha256.ofDigest(content.digest());
  }

  @Benchmark
  public byte[] sha256Only() {
    MessageDigest digest = Sha256.newDigest();
    digest.update(data);
    return digest.digest();
  }

  @Benchmark
  public int chunkOnly() {
    int count = 0;
    for (int at = 0; at < data.length; ) {
      at += cdc.cut(data, at, data.length - at);
      count++;
    }
    return count;
  }

  @Benchmark
  public Sha256 chunkAndHash() throws IOException {
    ChunkReader reader = new ChunkReader(new ByteArrayInputStream(data), cdc);
    MessageDigest content = Sha256.newDigest();
    for (Chunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
      chunk.hash().updateInto(content);
    }
    return Sha256.ofDigest(content.digest());
  }
}
