package coffer.cli;

import coffer.client.CofferClient;
import coffer.client.Session;
import coffer.client.sync.SyncEngine;
import coffer.client.sync.SyncEngine.Options;
import coffer.client.sync.SyncEngine.Report;
import coffer.core.hash.Sha256;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Keep a folder and your account identical, both ways, on every device.",
      "Runs until stopped (Ctrl-C), following local changes and the server's; with --once it"
          + " syncs until both sides agree and exits."
    })
final class SyncCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description = "The folder to sync, such as ~/Coffer.")
  Path dir;

  @Option(names = "--once", description = "Sync until both sides agree, then exit.")
  boolean once;

  @Option(
      names = "--confirm-deletes",
      description = "Go ahead with a plan that deletes many items on the server at once.")
  boolean confirmDeletes;

  @Option(
      names = "--device",
      paramLabel = "NAME",
      description = "This device's name in conflicted copies (default: the host name).")
  String device;

  @Override
  public Integer call() throws Exception {
    CofferClient client = SessionOptions.client();
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.exists(root)) {
      if (indexFile(root).toFile().exists()) {
        throw new UserException(
            root
                + " is missing (moved, deleted or not mounted); sync is paused so nothing is"
                + " deleted on the server");
      }
      Files.createDirectories(root);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path index = indexFile(root);
    Files.createDirectories(index.getParent());
    try (FileChannel lockFile =
            FileChannel.open(
                index.resolveSibling(index.getFileName() + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        if (confirmDeletes) {
          SyncEngine.confirmDeletes(index);
          out.println("The coffer sync running for " + root + " goes ahead with the deletes now.");
          return 0;
        }
        throw new UserException(
            "coffer sync is already running for "
                + root
                + "; stop it first (or run this with --confirm-deletes to let it go ahead with a"
                + " paused delete)");
      }
      return sync(client, root, out);
    }
  }

  private Integer sync(CofferClient client, Path root, PrintWriter out) throws Exception {
    Options options =
        new Options(
            root,
            indexFile(root),
            device != null ? device : hostName(),
            confirmDeletes,
            Options.DEFAULT_DELETE_THRESHOLD);
    try (SyncEngine engine = new SyncEngine(client, options, log(out))) {
      if (once) {
        Report report = engine.syncOnce();
        out.printf(
            "In sync: %d change%s in %d round%s%s.%n",
            report.actions(),
            report.actions() == 1 ? "" : "s",
            report.rounds(),
            report.rounds() == 1 ? "" : "s",
            report.unsyncable().isEmpty()
                ? ""
                : "; " + report.unsyncable().size() + " item(s) cannot sync (see coffer status)");
        return 0;
      }
      out.printf("Syncing %s with %s. Stop with Ctrl-C.%n", root, client.server());
      out.flush();
      AtomicBoolean stop = new AtomicBoolean();
      Thread main = Thread.currentThread();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stop.set(true);
                    main.interrupt();
                  }));
      try {
        engine.run(stop);
      } catch (InterruptedException e) {
        // stopped
      }
      return 0;
    } catch (SyncEngine.Paused e) {
      throw new UserException(e.getMessage());
    }
  }

  private static SyncExecutorLog log(PrintWriter out) {
    return new SyncExecutorLog(out, System.console() != null);
  }

  /**
   * One concise line per action; in a terminal, also a line at the bottom with the round's progress
   * (changes done of planned, bytes moved, rate), redrawn at most ten times a second and cleared
   * when the round is over.
   */
  static final class SyncExecutorLog implements coffer.client.sync.SyncLog {
    private final PrintWriter out;
    private final boolean terminal;
    private String shown = "";
    private long drawnAt;
    private long roundStarted;
    private int lastFinished = -1;

    SyncExecutorLog(PrintWriter out, boolean terminal) {
      this.out = out;
      this.terminal = terminal;
      this.drawnAt = System.nanoTime() - 1_000_000_000L;
    }

    @Override
    public synchronized void action(String symbol, String path) {
      line(String.format("%s %s %s", LocalTime.now().format(TIME), symbol, path));
    }

    @Override
    public synchronized void problem(String path, String message) {
      line(
          String.format(
              "%s ! %s%s",
              LocalTime.now().format(TIME), path.isEmpty() ? "" : path + ": ", message));
    }

    /** Prints a line above the progress line, which is drawn again below it. */
    private void line(String text) {
      if (!shown.isEmpty()) {
        out.print("\r\033[K");
      }
      out.println(text);
      if (!shown.isEmpty()) {
        out.print(shown);
      }
      out.flush();
    }

    @Override
    public synchronized void progress(int finished, int planned, long bytes) {
      if (!terminal) {
        return;
      }
      long now = System.nanoTime();
      if (finished < lastFinished || lastFinished < 0) {
        roundStarted = now; // a new round
      }
      lastFinished = finished;
      if (finished >= planned) {
        if (!shown.isEmpty()) {
          out.print("\r\033[K");
          out.flush();
        }
        shown = "";
        lastFinished = -1;
        return;
      }
      if (now - drawnAt < 100_000_000L) {
        return;
      }
      drawnAt = now;
      shown = progressLine(finished, planned, bytes, (now - roundStarted) / 1e9);
      out.print("\r" + shown + "\033[K");
      out.flush();
    }

    static String progressLine(int finished, int planned, long bytes, double seconds) {
      String rate = seconds >= 0.5 ? ", " + ProgressBar.human((long) (bytes / seconds)) + "/s" : "";
      return String.format(
          "syncing: %d of %d change%s, %s%s",
          finished, planned, planned == 1 ? "" : "s", ProgressBar.human(bytes), rate);
    }
  }

  /** Where the index of a synced folder lives: one file per folder under $COFFER_HOME/sync. */
  static Path indexFile(Path root) {
    String key = Sha256.of(root.toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 24);
    return Session.home().resolve("sync").resolve(key + ".db");
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "device";
    }
  }
}
