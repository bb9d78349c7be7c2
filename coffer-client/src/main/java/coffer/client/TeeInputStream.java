package coffer.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies every byte read to an output stream, reporting progress. */
final class TeeInputStream extends FilterInputStream {
  private final OutputStream copy;
  private final long total;
  private final Progress progress;
  private long done;

  TeeInputStream(InputStream in, OutputStream copy, long total, Progress progress) {
    super(in);
    this.copy = copy;
    this.total = total;
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      copy.write(b, off, n);
      done += n;
      progress.update(done, total);
    }
    return n;
  }
}
