package coffer.cli;

import coffer.client.ApiException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code coffer} command. Exit codes: 0 done, 1 failed, 2 wrong usage. */
@Command(
    name = "coffer",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Self-hosted file storage and sync.",
    subcommands = {
      ServerCommand.class,
      SignupCommand.class,
      LoginCommand.class,
      LogoutCommand.class,
      PutCommand.class,
      GetCommand.class,
      LsCommand.class,
      MkdirCommand.class,
      MvCommand.class,
      RmCommand.class,
      VersionsCommand.class,
      RestoreCommand.class,
      TrashCommand.class,
      LinkCommand.class,
      DevicesCommand.class,
      AdminCommand.class,
      ShareCommand.class,
      UnshareCommand.class,
      SharesCommand.class,
      SyncCommand.class,
      StatusCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests and {@link #main}). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::failed);
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "Name a command.");
  }

  private static int failed(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    switch (e) {
      case ApiException api -> err.println("coffer: " + api.getMessage());
      case UserException user -> err.println("coffer: " + user.getMessage());
      case UncheckedIOException io when io.getCause() instanceof ConnectException ->
          err.println("coffer: cannot reach the server (is it running?)");
      case UncheckedIOException io -> err.println("coffer: " + io.getCause().getMessage());
      default -> {
        err.println("coffer: " + e);
        e.printStackTrace(err);
      }
    }
    err.flush();
    return 1;
  }

  /** The version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"coffer " + (v == null ? "dev" : v)};
    }
  }
}
