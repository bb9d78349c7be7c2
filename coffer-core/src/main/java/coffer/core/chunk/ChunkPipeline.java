package coffer.core.chunk;

import coffer.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
   * The same chunking with all work done on the calling thread, one chunk after another: for
   * callers that already run many streams side by side (one small file each), which would only
   * queue on this pipeline's executor.
   */
  public ChunkPipeline onCallerThread() {
    return new ChunkPipeline(cdc, Runnable::run, 1);
  }

  /**
   * Applies {@code work} to every chunk of {@code in} and returns the results in order. The first
   * failure of {@code work} is rethrown as is (unchecked) after in-flight work is abandoned.
   */
  public <R> List<R> process(InputStream in, Function<Chunk, R> work) throws IOException {
    ChunkReader reader = new ChunkReader(in, cdc);
    return run(reader::next, work);
  }

  /** One chunk's place in its stream and its hash. */
  public record Hashed(long offset, int length, Sha256 hash) {}

  /**
   * The place and hash of every chunk of {@code in}, in order, as {@link #process} with hashing
   * would give them, but through {@code maxInFlight + 1} buffers of {@code bufferSize} bytes reused
   * from chunk to chunk instead of a new array per chunk: hashing a large file then touches a few
   * megabytes of fresh memory, not the file's size. {@code bufferSize} should hold the largest
   * chunk the stream can give (the chunker's maximum, or the stream's length if smaller).
   */
  public List<Hashed> hashes(InputStream in, int bufferSize) throws IOException {
    ChunkReader reader = new ChunkReader(in, cdc);
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(maxInFlight + 1);
    for (int i = 0; i <= maxInFlight; i++) {
      free.add(new byte[bufferSize]);
    }
    record Piece(long offset, byte[] buffer, int length) {}
    return run(
        () -> {
          byte[] buffer; // one is free: at most maxInFlight are held, and each hash gives its back
          try {
            buffer = free.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing chunks", e);
          }
          long offset = reader.position();
          int length = reader.next(buffer);
          return length < 0 ? null : new Piece(offset, buffer, length);
        },
        piece -> {
          try {
            return new Hashed(
                piece.offset(), piece.length(), Sha256.of(piece.buffer(), 0, piece.length()));
          } finally {
            free.add(piece.buffer());
          }
        });
  }

  /** Where the pieces come from, one at a time on the calling thread; null at the end. */
  private interface Source<T> {
    T next() throws IOException;
  }

  private <T, R> List<R> run(Source<T> source, Function<T, R> work) throws IOException {
    Deque<CompletableFuture<R>> inFlight = new ArrayDeque<>();
    List<R> results = new ArrayList<>();
    try {
      while (true) {
        if (inFlight.size() >= maxInFlight) {
          results.add(await(inFlight.removeFirst()));
        }
        T piece = source.next();
        if (piece == null) {
          break;
        }
        inFlight.addLast(CompletableFuture.supplyAsync(() -> work.apply(piece), executor));
      }
      while (!inFlight.isEmpty()) {
        results.add(await(inFlight.removeFirst()));
      }
      return results;
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
