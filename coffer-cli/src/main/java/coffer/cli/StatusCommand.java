package coffer.cli;

import coffer.client.sync.SyncIndex;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show how a synced folder stands: state, last sync, problems, last error.")
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The synced folder (default: the current directory).")
  Path dir;

  @Override
  public Integer call() {
    Path root = (dir == null ? Path.of("") : dir).toAbsolutePath().normalize();
    Path file = SyncCommand.indexFile(root);
    if (!Files.exists(file)) {
      throw new UserException(
          root + " is not synced on this device; run 'coffer sync " + root + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (SyncIndex index = SyncIndex.open(file)) {
      out.printf("%s: %s%n", root, index.meta("state").orElse("not synced yet"));
      index.meta("lastSync").ifPresent(t -> out.printf("last in sync: %s%n", t));
      index.meta("lastError").ifPresent(e -> out.printf("last error: %s%n", e));
      index
          .meta("pending")
          .filter(n -> !n.equals("0"))
          .ifPresent(n -> out.printf("pending: %s action(s) to retry%n", n));
      for (String[] c : index.conflicts(10)) {
        out.printf("conflict: %s kept as %s (%s)%n", c[1], c[0], c[2]);
      }
      Map<String, String> problems = index.problems();
      if (!problems.isEmpty()) {
        out.printf("%d item(s) cannot sync:%n", problems.size());
        problems.forEach((path, why) -> out.printf("  %s: %s%n", path, why));
      }
    }
    return 0;
  }
}
