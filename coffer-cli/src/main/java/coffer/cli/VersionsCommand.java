package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.VersionInfo;
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
    name = "versions",
    mixinStandardHelpOptions = true,
    description = "List a file's versions, newest first. Use the number with 'coffer restore'.")
final class VersionsCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "REMOTE",
      description = "The file, such as /Docs/report.pdf.")
  String remote;

  @Override
  public Integer call() {
    CofferClient client = SessionOptions.client();
    List<VersionInfo> versions = client.versions(client.lookup(remote).id());
    PrintWriter out = spec.commandLine().getOut();
    for (int i = 0; i < versions.size(); i++) {
      VersionInfo v = versions.get(i);
      out.printf(
          "%3d  %s  %10s  %s%s%n",
          i + 1,
          TIME.format(v.created()),
          ProgressBar.human(v.size()),
          v.revision(),
          v.current() ? "  (current)" : "");
    }
    return 0;
  }
}
