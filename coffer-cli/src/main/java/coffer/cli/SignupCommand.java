package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.AccountInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "signup",
    mixinStandardHelpOptions = true,
    description = "Create an account. The first account on a server is its admin.")
final class SignupCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Server URL (default: $COFFER_SERVER, the saved session's, or http://127.0.0.1:8080).")
  String server;

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "The username.")
  String user;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  @Override
  public Integer call() {
    CofferClient client = new CofferClient(SessionOptions.server(server), null);
    String password = Passwords.read(passwordStdin, true);
    AccountInfo account = client.signup(user, password);
    spec.commandLine()
        .getOut()
        .printf(
            "Created account '%s'%s. Sign in with: coffer login --server %s --user %s%n",
            account.username(),
            account.admin() ? " (admin)" : "",
            client.server(),
            account.username());
    return 0;
  }
}
