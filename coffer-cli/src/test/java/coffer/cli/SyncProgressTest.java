package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What `coffer sync` prints: a line per action, and in a terminal a progress line below them. */
class SyncProgressTest {

  private final StringWriter text = new StringWriter();

  @Test
  void in_a_terminal_the_progress_line_stays_below_the_action_lines_and_goes_when_done() {
    SyncCommand.SyncExecutorLog log = new SyncCommand.SyncExecutorLog(new PrintWriter(text), true);

    log.progress(0, 3, 0);
    assertThat(text.toString()).isEqualTo("\rsyncing: 0 of 3 changes, 0 B\033[K");

    text.getBuffer().setLength(0);
    log.action("↓", "big.bin");
    assertThat(text.toString())
        .matches("(?s)\r\033\\[K\\d\\d:\\d\\d:\\d\\d ↓ big\\.bin\\Rsyncing: 0 of 3 changes, 0 B");

    text.getBuffer().setLength(0);
    log.progress(3, 3, 5 << 20);
    assertThat(text.toString()).isEqualTo("\r\033[K");

    text.getBuffer().setLength(0);
    log.action("↑", "a.txt");
    assertThat(text.toString()).matches("\\d\\d:\\d\\d:\\d\\d ↑ a\\.txt\\R");
  }

  @Test
  void outside_a_terminal_there_are_only_action_lines() {
    SyncCommand.SyncExecutorLog log = new SyncCommand.SyncExecutorLog(new PrintWriter(text), false);

    log.progress(0, 3, 0);
    log.progress(1, 3, 1 << 20);
    log.action("↓", "big.bin");
    log.progress(3, 3, 5 << 20);

    assertThat(text.toString()).matches("\\d\\d:\\d\\d:\\d\\d ↓ big\\.bin\\R");
  }

  @Test
  void the_progress_line_says_changes_bytes_and_rate() {
    assertThat(SyncCommand.SyncExecutorLog.progressLine(12, 340, 45 << 20, 2.0))
        .isEqualTo("syncing: 12 of 340 changes, 45.0 MiB, 22.5 MiB/s");
    assertThat(SyncCommand.SyncExecutorLog.progressLine(0, 1, 0, 0.1))
        .isEqualTo("syncing: 0 of 1 change, 0 B");
  }
}
