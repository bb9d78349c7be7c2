package coffer.core.chunk;

import coffer.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Cuts a stream into chunks on the calling thread while work on earlier chunks (hashing, storing)
 * runs on a caller-supplied executor, so cutting and hashing overlap and several cores work. At
 * most {@code maxInFlight} chunks are held at once; results come back in stream order. Creates no
 * threads of its own.
 */
public final class ChunkPipeline {

  private final FastCdc cdc;
  private final Executor executor;
  private final int maxInFlight;

  public ChunkPipeline(FastCdc cdc, Executor executor, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    this.cdc = cdc;
    this.executor = executor;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Applies {@code work} to every chunk of {@code in} and returns the results in order. The first
   * failure of {@code work} is rethrown as is (unchecked) after in-flight work is abandoned.
   */
  public <R> List<R> process(InputStream in, Function<Chunk, R> work) throws IOException {
    ChunkReader reader = new ChunkReader(in, cdc);
    Deque<CompletableFuture<R>> inFlight = new ArrayDeque<>();
    List<R> results = new ArrayList<>();
    try {
      for (Chunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
        if (inFlight.size() >= maxInFlight) {
          results.add(await(inFlight.removeFirst()));
        }
        Chunk current = chunk;
        inFlight.addLast(CompletableFuture.supplyAsync(() -> work.apply(current), executor));
      }
      while (!inFlight.isEmpty()) {
        results.add(await(inFlight.removeFirst()));
      }
      return results;
    } finally {
      inFlight.forEach(f -> f.cancel(true));
    }
  }

  /** One chunk's place in its stream and its hash. */
  public record Hashed(long offset, int length, Sha256 hash) {}

  /**
   * The place and hash of every chunk of {@code in}, in order, as {@link #process} with hashing
   * would give them, but through {@code maxInFlight + 1} buffers of {@code bufferSize} bytes reused
   * from chunk to chunk instead of a new array per chunk: hashing a large file then touches a few
   * megabytes of fresh memory, not the file's size. {@code bufferSize} must hold the largest chunk
   * the stream can give (the chunker's maximum, or the stream's length if smaller).
   */
  public List<Hashed> hashes(InputStream in, int bufferSize) throws IOException {
    ChunkReader reader = new ChunkReader(in, cdc);
    java.util.concurrent.BlockingQueue<byte[]> free =
        new java.util.concurrent.ArrayBlockingQueue<>(maxInFlight + 1);
    for (int i = 0; i <= maxInFlight; i++) {
      free.add(new byte[bufferSize]);
    }
    Deque<CompletableFuture<Hashed>> inFlight = new ArrayDeque<>();
    List<Hashed> results = new ArrayList<>();
    try {
      while (true) {
        if (inFlight.size() >= maxInFlight) {
          results.add(await(inFlight.removeFirst()));
        }
        byte[] buffer = free.take(); // one is free: each finished hash gave its buffer back
        long offset = reader.position();
        int length = reader.next(buffer);
        if (length < 0) {
          break;
        }
        inFlight.addLast(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return new Hashed(offset, length, Sha256.of(buffer, 0, length));
                  } finally {
                    free.add(buffer);
                  }
                },
                executor));
      }
      while (!inFlight.isEmpty()) {
        results.add(await(inFlight.removeFirst()));
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while hashing chunks", e);
    } finally {
      inFlight.forEach(f -> f.cancel(true));
    }
  }

  private static <R> R await(CompletableFuture<R> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while processing chunks", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }
}
