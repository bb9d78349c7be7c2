package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.FileMetadata;
import coffer.core.api.FolderListing;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = "List a folder (default: your root folder).")
final class LsCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "REMOTE",
      description = "The folder, such as /Docs.")
  String remote = "/";

  @Override
  public Integer call() {
    CofferClient client = SessionOptions.client();
    FileMetadata target = client.lookup(remote);
    PrintWriter out = spec.commandLine().getOut();
    if (!target.kind().equals("folder")) {
      print(out, target);
      return 0;
    }
    FolderListing listing = client.list(target.id());
    for (FileMetadata child : listing.children()) {
      print(out, child);
    }
    return 0;
  }

  private static void print(PrintWriter out, FileMetadata entry) {
    boolean folder = entry.kind().equals("folder");
    out.printf(
        "%10s  %s  %s%s%n",
        folder ? "-" : ProgressBar.human(entry.size()),
        TIME.format(entry.modified()),
        entry.name(),
        folder ? "/" : "");
  }
}
