package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.FileMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description =
        "Download a file. LOCAL defaults to the file's name in the current directory; a LOCAL directory receives the file inside it. The file is verified before it replaces anything.")
final class GetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "REMOTE",
      description = "The file, such as /Docs/report.pdf.")
  String remote;

  @Parameters(index = "1", arity = "0..1", paramLabel = "LOCAL", description = "Where to write it.")
  Path local;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() {
    CofferClient client = SessionOptions.client();
    FileMetadata file = client.lookup(remote);
    if (!file.kind().equals("file")) {
      throw new UserException(remote + " is a folder");
    }
    Path target = local == null ? Path.of(file.name()) : local;
    if (Files.isDirectory(target)) {
      target = target.resolve(file.name());
    }
    client.download(
        file, target, ProgressBar.forTerminal(spec.commandLine().getErr(), file.name(), quiet));
    if (!quiet) {
      spec.commandLine().getOut().printf("%s  %s%n", target, ProgressBar.human(file.size()));
    }
    return 0;
  }
}
