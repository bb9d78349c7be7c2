package coffer.core.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into content-defined chunks, reading ahead at most two maximum-size chunks. Cut
 * points do not depend on how the underlying stream splits its reads. The read-ahead buffer starts
 * small and grows only as far as the stream needs, so a small file costs a small buffer, not two
 * maximum-size chunks of fresh memory. Not thread-safe.
 */
public final class ChunkReader {

  private final InputStream in;
  private final FastCdc cdc;

  /** The first read-ahead buffer: enough for a small file in one piece. */
  static final int INITIAL_BUFFER = 64 << 10;

  private byte[] buffer;
  private int start;
  private int end;
  private long offset;
  private boolean eof;

  public ChunkReader(InputStream in, FastCdc cdc) {
    this.in = in;
    this.cdc = cdc;
    this.buffer = new byte[Math.min(INITIAL_BUFFER, capacity())];
  }

  /** The next chunk, or {@code null} once the stream is exhausted. */
  public Chunk next() throws IOException {
    int available = fill();
    if (available == 0) {
      return null;
    }
    int length = cdc.cut(buffer, start, available);
    byte[] data = new byte[length];
    System.arraycopy(buffer, start, data, 0, length);
    Chunk chunk = new Chunk(offset, data);
    start += length;
    offset += length;
    return chunk;
  }

  /**
   * Copies the next chunk into the start of {@code into} and returns its length, or -1 once the
   * stream is exhausted: for callers that reuse their buffers instead of taking a new array per
   * chunk. {@code into} should hold the largest chunk the stream can give; a stream longer than its
   * caller expected (a file still growing) is cut where {@code into} ends.
   */
  public int next(byte[] into) throws IOException {
    int available = fill();
    if (available == 0) {
      return -1;
    }
    int length = cdc.cut(buffer, start, Math.min(available, into.length));
    System.arraycopy(buffer, start, into, 0, length);
    start += length;
    offset += length;
    return length;
  }

  /** Reads ahead until a whole maximum-size chunk is buffered or the stream ends. */
  private int fill() throws IOException {
    int max = cdc.config().maxSize();
    if (end - start < max && !eof) {
      if (start > 0) {
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
      }
      while (end < capacity() && !eof) {
        if (end == buffer.length) {
          buffer = Arrays.copyOf(buffer, Math.min(capacity(), buffer.length * 2));
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
          eof = true;
        } else {
          end += n;
        }
      }
    }
    return end - start;
  }

  /** The most the buffer holds: two maximum-size chunks. */
  private int capacity() {
    return cdc.config().maxSize() * 2;
  }

  /** The read-ahead buffer's present size. */
  int bufferSize() {
    return buffer.length;
  }

  /** Bytes handed out as chunks so far. */
  public long position() {
    return offset;
  }
}
