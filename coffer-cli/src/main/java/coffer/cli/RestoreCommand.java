package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.FileMetadata;
import coffer.core.api.VersionInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

// No standard help mixin: its -V/--version would take the name this command's --version needs.
@Command(
    name = "restore",
    description = "Make an old version of a file current again. The history keeps every version.")
final class RestoreCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Parameters(
      index = "0",
      paramLabel = "REMOTE",
      description = "The file, such as /Docs/report.pdf.")
  String remote;

  @Option(
      names = "--version",
      required = true,
      paramLabel = "N",
      description = "The version's number in 'coffer versions' (1 is the newest).")
  int number;

  @Override
  public Integer call() {
    CofferClient client = SessionOptions.client();
    FileMetadata file = client.lookup(remote);
    List<VersionInfo> versions = client.versions(file.id());
    if (number < 1 || number > versions.size()) {
      throw new UserException(remote + " has versions 1 to " + versions.size() + ", not " + number);
    }
    FileMetadata restored = client.restore(file.id(), versions.get(number - 1).revision());
    spec.commandLine()
        .getOut()
        .printf(
            "%s is now version %d's content (%s)%n",
            restored.path(), number, ProgressBar.human(restored.size()));
    return 0;
  }
}
