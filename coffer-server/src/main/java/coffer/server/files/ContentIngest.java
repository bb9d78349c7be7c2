package coffer.server.files;

import coffer.core.chunk.ChunkPipeline;
import coffer.core.hash.Sha256;
import coffer.core.manifest.ChunkRef;
import coffer.core.manifest.Manifest;
import coffer.server.blob.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns a stream into stored chunks and a manifest. Chunking runs on the caller's thread while
 * hashing and durable writes of earlier chunks run on a small pool, so both cores work and memory
 * stays bounded. Chunks are stored before any metadata can point at them; chunks of an upload that
 * is never committed are left for garbage collection.
 */
public final class ContentIngest {

  private final BlobStore blobs;
  private final ChunkPipeline pipeline;
  private final ChunkPipeline here;

  public ContentIngest(BlobStore blobs, ChunkPipeline pipeline) {
    this.blobs = blobs;
    this.pipeline = pipeline;
    this.here = pipeline.onCallerThread();
  }

  /** Reads {@code in} to its end, stores every chunk, and returns the manifest. */
  public Manifest ingest(InputStream in) throws IOException {
    return ingest(pipeline, in);
  }

  /**
   * Stores content already in memory, all on the calling thread: a batch stores many small files
   * side by side, each on a thread of its own, and the pool's few threads would make their flushes
   * to disk wait in line.
   */
  public Manifest ingest(byte[] content) {
    try {
      return ingest(here, new ByteArrayInputStream(content));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // an array cannot fail to be read
    }
  }

  private Manifest ingest(ChunkPipeline through, InputStream in) throws IOException {
    return new Manifest(
        through.process(
            in,
            chunk -> {
              byte[] data = chunk.data();
              Sha256 hash = Sha256.of(data);
              blobs.put(hash, new ByteArrayInputStream(data), data.length);
              return new ChunkRef(hash, data.length);
            }));
  }
}
