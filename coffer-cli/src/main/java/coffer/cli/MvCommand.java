package coffer.cli;

import coffer.client.ApiException;
import coffer.client.CofferClient;
import coffer.core.api.FileMetadata;
import coffer.core.api.MoveRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "mv",
    mixinStandardHelpOptions = true,
    description =
        "Rename or move a file or folder. A DESTINATION that is an existing folder receives it inside. Nothing is uploaded again.")
final class MvCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SOURCE")
  String source;

  @Parameters(index = "1", paramLabel = "DESTINATION")
  String destination;

  @Override
  public Integer call() {
    CofferClient client = SessionOptions.client();
    FileMetadata from = client.lookup(source);
    MoveRequest move;
    FileMetadata into = folderAt(client, destination);
    if (into != null) {
      move = new MoveRequest(null, into.id(), from.name());
    } else {
      move = new MoveRequest(destination, null, null);
    }
    client.move(from.id(), move);
    return 0;
  }

  private static FileMetadata folderAt(CofferClient client, String path) {
    try {
      FileMetadata found = client.lookup(path);
      return found.kind().equals("folder") ? found : null;
    } catch (ApiException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }
}
