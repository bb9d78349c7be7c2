package coffer.core.chunk;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into content-defined chunks, reading ahead at most two maximum-size chunks. Cut
 * points do not depend on how the underlying stream splits its reads. Not thread-safe.
 */
public final class ChunkReader {

  private final InputStream in;
  private final FastCdc cdc;
  private final byte[] buffer;
  private int start;
  private int end;
  private long offset;
  private boolean eof;

  public ChunkReader(InputStream in, FastCdc cdc) {
    this.in = in;
    this.cdc = cdc;
    this.buffer = new byte[cdc.config().maxSize() * 2];
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
      while (end < buffer.length && !eof) {
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

  /** Bytes handed out as chunks so far. */
  public long position() {
    return offset;
  }
}
