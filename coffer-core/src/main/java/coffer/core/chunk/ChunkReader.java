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
    int available = end - start;
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

  /** Bytes handed out as chunks so far. */
  public long position() {
    return offset;
  }
}
