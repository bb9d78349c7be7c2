package coffer.server.http;

import coffer.core.error.TooLargeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts bytes and fails with 413 once more than the limit arrive. */
final class LimitedInputStream extends FilterInputStream {
  private final long limit;
  private long left;

  LimitedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
    this.left = limit;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      left -= n;
      if (left < 0) {
        throw new TooLargeException(
            "too-large", "The request body exceeds this server's limit of " + limit + " bytes.");
      }
    }
    return n;
  }
}
