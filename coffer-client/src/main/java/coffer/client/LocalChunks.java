package coffer.client;

import coffer.core.api.ChunkInfo;
import coffer.core.chunk.ChunkPipeline;
import coffer.core.chunk.ChunkerConfig;
import coffer.core.chunk.FastCdc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A local file's chunks: their hashes in order, and where each chunk's bytes lie in the file so a
 * chunk can be read again for upload without holding the file in memory.
 */
public final class LocalChunks {

  private record Span(long offset, int length) {}

  private final List<ChunkInfo> infos;
  private final Map<String, Span> spans;

  private LocalChunks(List<ChunkInfo> infos, Map<String, Span> spans) {
    this.infos = infos;
    this.spans = spans;
  }

  /** Chunks and hashes a file, hashing on {@code executor} while the next chunks are cut. */
  public static LocalChunks of(Path file, Executor executor) throws IOException {
    int largest = (int) Math.min(ChunkerConfig.DEFAULT.maxSize(), Files.size(file));
    try (InputStream in = Files.newInputStream(file)) {
      return of(in, executor, largest);
    }
  }

  /**
   * Runs the chunking and hashing code over some throwaway bytes, so that a long-running process
   * has it compiled before the first real file (several times faster than the first pass, when the
   * code still runs interpreted): the first edit of a large file then syncs as fast as later ones.
   */
  public static void warmUp(Executor executor) {
    byte[] data = new byte[16 << 20];
    new java.util.Random(1).nextBytes(data);
    try {
      for (int pass = 0; pass < 4; pass++) {
        of(new java.io.ByteArrayInputStream(data), executor, ChunkerConfig.DEFAULT.maxSize());
      }
    } catch (IOException | RuntimeException e) {
      // only a warm-up: the real work will compile the code anyway
    }
  }

  private static LocalChunks of(InputStream in, Executor executor, int largestChunk)
      throws IOException {
    ChunkPipeline pipeline = new ChunkPipeline(new FastCdc(ChunkerConfig.DEFAULT), executor, 4);
    List<ChunkPipeline.Hashed> hashed = pipeline.hashes(in, Math.max(1, largestChunk));
    List<ChunkInfo> infos = new ArrayList<>(hashed.size());
    Map<String, Span> spans = new HashMap<>();
    for (ChunkPipeline.Hashed chunk : hashed) {
      String hash = chunk.hash().hex();
      infos.add(new ChunkInfo(hash, chunk.length()));
      spans.putIfAbsent(hash, new Span(chunk.offset(), chunk.length()));
    }
    return new LocalChunks(List.copyOf(infos), spans);
  }

  /** The chunks of a file whose chunk list is already known, in order. */
  public static LocalChunks ofList(List<ChunkInfo> chunks) {
    Map<String, Span> spans = new HashMap<>();
    long offset = 0;
    for (ChunkInfo chunk : chunks) {
      spans.putIfAbsent(chunk.hash(), new Span(offset, chunk.length()));
      offset += chunk.length();
    }
    return new LocalChunks(List.copyOf(chunks), spans);
  }

  /** The chunks in order. */
  public List<ChunkInfo> infos() {
    return infos;
  }

  /**
   * The content hash the server gives a file with these chunks: SHA-256 over the chunk hashes in
   * order.
   */
  public String contentHash() {
    java.security.MessageDigest digest = coffer.core.hash.Sha256.newDigest();
    for (ChunkInfo chunk : infos) {
      coffer.core.hash.Sha256.parse(chunk.hash()).updateInto(digest);
    }
    return coffer.core.hash.Sha256.ofDigest(digest.digest()).hex();
  }

  /**
   * The content hash of a file, as {@link #contentHash()} would give it: a file no longer than the
   * smallest chunk is one chunk (or none when empty), hashed without setting up the chunker.
   */
  public static String contentHashOf(Path file, Executor executor) throws IOException {
    return chunksOf(file, executor).contentHash();
  }

  /**
   * A file's chunks: a file no longer than the smallest chunk is one chunk (or none when empty),
   * hashed without setting up the chunker.
   */
  public static LocalChunks chunksOf(Path file, Executor executor) throws IOException {
    long size = Files.size(file);
    if (size <= ChunkerConfig.DEFAULT.minSize()) {
      byte[] data = Files.readAllBytes(file);
      return ofList(
          data.length == 0
              ? List.of()
              : List.of(new ChunkInfo(coffer.core.hash.Sha256.of(data).hex(), data.length)));
    }
    return of(file, executor);
  }

  /** The chunk list as text: {@code hash:length} joined by commas (empty for no chunks). */
  public String encode() {
    StringBuilder text = new StringBuilder();
    for (ChunkInfo chunk : infos) {
      if (!text.isEmpty()) {
        text.append(',');
      }
      text.append(chunk.hash()).append(':').append(chunk.length());
    }
    return text.toString();
  }

  /** The chunk list {@link #encode} wrote. */
  public static List<ChunkInfo> decode(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    List<ChunkInfo> chunks = new ArrayList<>();
    for (String part : text.split(",")) {
      int colon = part.indexOf(':');
      chunks.add(
          new ChunkInfo(part.substring(0, colon), Integer.parseInt(part.substring(colon + 1))));
    }
    return chunks;
  }

  /** Reads one chunk's bytes back from the file. */
  byte[] read(FileChannel file, String hash) throws IOException {
    Span span = spans.get(hash);
    if (span == null) {
      throw new IOException(
          "the server asked for chunk " + hash + ", which this file does not have");
    }
    ByteBuffer buffer = ByteBuffer.allocate(span.length());
    long position = span.offset();
    while (buffer.hasRemaining()) {
      int n = file.read(buffer, position);
      if (n < 0) {
        throw new IOException("the file shrank while it was being uploaded");
      }
      position += n;
    }
    return buffer.array();
  }
}
