package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.SharedItem;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "shares",
    mixinStandardHelpOptions = true,
    description = {
      "Show who a file or folder is shared with;",
      "without REMOTE, what others share with you."
    })
final class SharesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "REMOTE")
  String remote;

  @Override
  public Integer call() {
    CofferClient client = SessionOptions.client();
    PrintWriter out = spec.commandLine().getOut();
    if (remote != null) {
      ShareCommand.print(out, remote, client.shares(client.lookup(remote).id()));
      return 0;
    }
    List<SharedItem> items = client.sharedWithMe();
    if (items.isEmpty()) {
      out.println("Nothing is shared with you.");
    }
    for (SharedItem item : items) {
      out.printf(
          "%-7s %-8s %-16s %s%n",
          item.kind(),
          item.role(),
          "from " + item.owner(),
          item.path() != null ? item.path() : item.name() + "  (id " + item.id() + ")");
    }
    return 0;
  }
}
