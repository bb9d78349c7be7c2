package coffer.cli;

import coffer.client.CofferClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "unshare",
    mixinStandardHelpOptions = true,
    description = {
      "Stop sharing a file or folder with people. Their devices remove a shared folder;"
          + " the owner's data stays as it is.",
      "Name yourself to leave a folder someone shared with you."
    })
final class UnshareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REMOTE")
  String remote;

  @Option(
      names = "--with",
      required = true,
      split = ",",
      paramLabel = "USER",
      description = "Who to stop sharing with.")
  List<String> users;

  @Override
  public Integer call() {
    CofferClient client = SessionOptions.client();
    String id = client.lookup(remote).id();
    for (String user : users) {
      client.unshare(id, user);
      spec.commandLine().getOut().println("No longer shared with " + user + ": " + remote);
    }
    return 0;
  }
}
