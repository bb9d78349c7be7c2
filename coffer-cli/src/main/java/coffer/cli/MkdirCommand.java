package coffer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "mkdir", mixinStandardHelpOptions = true, description = "Create a folder.")
final class MkdirCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "REMOTE",
      description = "The folder to create, such as /Docs/2026.")
  String remote;

  @Option(
      names = {"-p", "--parents"},
      description = "Create missing parents; an existing folder is fine.")
  boolean parents;

  @Override
  public Integer call() {
    SessionOptions.client().mkdir(remote, parents);
    return 0;
  }
}
