package coffer.cli;

import coffer.client.ApiException;
import coffer.client.Session;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = "Sign this device out and forget its token.")
final class LogoutCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    try {
      SessionOptions.client().logout();
    } catch (ApiException e) {
      if (e.status() != 401) {
        throw e;
      }
    }
    Session.delete(Session.home());
    spec.commandLine().getOut().println("Signed out.");
    return 0;
  }
}
