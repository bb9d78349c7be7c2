package coffer.cli;

import coffer.client.CofferClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    description = "Delete a file or a folder with everything in it (it goes to the trash).")
final class RmCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "REMOTE")
  String remote;

  @Override
  public Integer call() {
    CofferClient client = SessionOptions.client();
    client.delete(client.lookup(remote).id());
    return 0;
  }
}
