package coffer.cli;

import coffer.client.CofferClient;
import coffer.client.Session;
import coffer.core.api.LoginResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description =
        "Sign this device in; the token is saved under $COFFER_HOME (default ~/.config/coffer).")
final class LoginCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "Server URL (default: $COFFER_SERVER or http://127.0.0.1:8080).")
  String server;

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "The username.")
  String user;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  @Option(
      names = "--device",
      paramLabel = "NAME",
      description = "A name for this device (default: the host name).")
  String device;

  @Override
  public Integer call() throws IOException {
    CofferClient client = new CofferClient(SessionOptions.server(server), null);
    String password = Passwords.read(passwordStdin, false);
    String deviceName = device != null ? device : hostName();
    LoginResponse login = client.login(user, password, deviceName);
    new Session(
            client.server().toString(), login.account().username(), login.token(), login.deviceId())
        .save(Session.home());
    spec.commandLine()
        .getOut()
        .printf("Signed in to %s as %s.%n", client.server(), login.account().username());
    return 0;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "device";
    }
  }
}
