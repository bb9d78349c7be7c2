package coffer.cli;

import coffer.client.Progress;
import java.io.PrintWriter;

/**
 * A one-line progress display (bytes, percentage, rate, time left) on a terminal, redrawn at most
 * ten times a second; silent when output is not a terminal or {@code --quiet} is given.
 */
final class ProgressBar implements Progress {
  private final PrintWriter err;
  private final String label;
  private final long started = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  private ProgressBar(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
  }

  static Progress forTerminal(PrintWriter err, String label, boolean quiet) {
    return quiet || System.console() == null ? Progress.NONE : new ProgressBar(err, label);
  }

  @Override
  public synchronized void update(long done, long total) {
    long now = System.nanoTime();
    if (now - lastDraw < 100_000_000L && done < total) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max((now - started) / 1e9, 1e-3);
    double rate = done / seconds;
    String percent = total > 0 ? String.format("%3d%%", done * 100 / total) : "";
    String eta =
        total > 0 && rate > 0 ? String.format(" ETA %ds", (long) ((total - done) / rate)) : "";
    err.printf(
        "\r%s %s %s/%s %s/s%s   ",
        label, percent, human(done), human(total), human((long) rate), eta);
    err.flush();
    drawn = true;
    if (done >= total && drawn) {
      err.println();
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format("%.1f %s", value, units[unit]);
  }
}
