package coffer.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports bytes read to a {@link Progress}. */
final class CountingInputStream extends FilterInputStream {
  private final long total;
  private final Progress progress;
  private long done;

  CountingInputStream(InputStream in, long total, Progress progress) {
    super(in);
    this.total = total;
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      progress.update(++done, total);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      done += n;
      progress.update(done, total);
    }
    return n;
  }
}
