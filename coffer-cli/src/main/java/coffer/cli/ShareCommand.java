package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.ShareMember;
import coffer.core.api.Shares;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "share",
    mixinStandardHelpOptions = true,
    description = {
      "Share a file or folder with people, or change their role.",
      "A shared folder appears in each recipient's tree and syncs both ways for editors;"
          + " viewers can only read it."
    })
final class ShareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REMOTE", description = "The file or folder, e.g. /Photos.")
  String remote;

  @Option(
      names = "--with",
      required = true,
      split = ",",
      paramLabel = "USER",
      description = "Who to share with (repeat or separate with commas).")
  List<String> users;

  @Option(
      names = "--role",
      defaultValue = "viewer",
      paramLabel = "ROLE",
      description = "viewer (read only) or editor (read and change); default: ${DEFAULT-VALUE}.")
  String role;

  @Override
  public Integer call() {
    CofferClient client = SessionOptions.client();
    Shares shares = client.share(client.lookup(remote).id(), users, role);
    print(spec.commandLine().getOut(), remote, shares);
    return 0;
  }

  static void print(PrintWriter out, String remote, Shares shares) {
    out.println(remote + " (" + shares.kind() + ", owned by " + shares.owner() + "):");
    for (ShareMember m : shares.members()) {
      out.printf("  %-24s %s%n", m.user(), m.role());
    }
  }
}
