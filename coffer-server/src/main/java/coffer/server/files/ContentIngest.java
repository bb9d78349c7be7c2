package coffer.server.files;

import coffer.core.chunk.Chunk;
import coffer.core.chunk.ChunkReader;
import coffer.core.chunk.FastCdc;
import coffer.core.error.StorageException;
import coffer.core.hash.Sha256;
import coffer.core.manifest.ChunkRef;
import coffer.core.manifest.Manifest;
import coffer.server.blob.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Turns a stream into stored chunks and a manifest. Chunking runs on the caller's thread while
 * hashing and durable writes of earlier chunks run on a small pool, so both cores work and memory
 * stays bounded by {@code maxInFlight} chunks per upload. Chunks are stored before any metadata can
 * point at them; chunks of an upload that is never committed are left for garbage collection.
 */
public final class ContentIngest {

  private final BlobStore blobs;
  private final FastCdc cdc;
  private final ExecutorService pool;
  private final int maxInFlight;

  public ContentIngest(BlobStore blobs, FastCdc cdc, ExecutorService pool, int maxInFlight) {
    this.blobs = blobs;
    this.cdc = cdc;
    this.pool = pool;
    this.maxInFlight = maxInFlight;
  }

  /** Reads {@code in} to its end, stores every chunk, and returns the manifest. */
  public Manifest ingest(InputStream in) throws IOException {
    ChunkReader reader = new ChunkReader(in, cdc);
    Deque<Future<ChunkRef>> inFlight = new ArrayDeque<>();
    List<ChunkRef> refs = new ArrayList<>();
    try {
      for (Chunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
        if (inFlight.size() >= maxInFlight) {
          refs.add(await(inFlight.removeFirst()));
        }
        byte[] data = chunk.data();
        inFlight.addLast(pool.submit(() -> store(data)));
      }
      while (!inFlight.isEmpty()) {
        refs.add(await(inFlight.removeFirst()));
      }
    } finally {
      inFlight.forEach(f -> f.cancel(true));
    }
    return new Manifest(refs);
  }

  private ChunkRef store(byte[] data) {
    Sha256 hash = Sha256.of(data);
    blobs.put(hash, new ByteArrayInputStream(data), data.length);
    return new ChunkRef(hash, data.length);
  }

  private static ChunkRef await(Future<ChunkRef> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while storing chunks", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new StorageException("blob-store", "cannot store a chunk", e.getCause());
    }
  }
}
