package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.FileMetadata;
import coffer.core.api.TrashItem;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "trash",
    mixinStandardHelpOptions = true,
    description =
        "List what was deleted; 'trash restore PATH' brings it back, 'trash purge [PATH]' deletes it for good.",
    subcommands = {TrashCommand.Restore.class, TrashCommand.Purge.class})
final class TrashCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (TrashItem item : SessionOptions.client().trash()) {
      boolean folder = item.kind().equals("folder");
      out.printf(
          "%10s  deleted %s  %s%s%n",
          folder ? "-" : ProgressBar.human(item.size()),
          TIME.format(item.deleted()),
          item.path(),
          folder ? "/" : "");
    }
    return 0;
  }

  /** The most recently deleted item that was at {@code path}. */
  static TrashItem find(CofferClient client, String path) {
    String wanted = path.startsWith("/") ? path : "/" + path;
    List<TrashItem> items = client.trash();
    return items.stream()
        .filter(i -> i.path().equalsIgnoreCase(wanted))
        .findFirst()
        .orElseThrow(() -> new UserException("nothing in the trash was at " + wanted));
  }

  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description = "Bring back what was deleted at PATH (the most recent if several).")
  static final class Restore implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "PATH",
        description = "Where it was, as 'coffer trash' shows it.")
    String path;

    @Override
    public Integer call() {
      CofferClient client = SessionOptions.client();
      FileMetadata back = client.restoreFromTrash(find(client, path).id());
      spec.commandLine().getOut().printf("Restored %s%n", back.path());
      return 0;
    }
  }

  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description = "Delete for good what was deleted at PATH, or everything in the trash.")
  static final class Purge implements Callable<Integer> {
    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "PATH",
        description = "Where it was; without it, the whole trash.")
    String path;

    @Override
    public Integer call() {
      CofferClient client = SessionOptions.client();
      client.purge(path == null ? null : find(client, path).id());
      return 0;
    }
  }
}
