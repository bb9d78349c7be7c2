package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.LinkInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    description = {
      "Make a public link to a file or folder and print its URL: anyone who has the URL can"
          + " download, without an account, until it expires or is revoked.",
      "'link --list PATH' lists a file's links; 'link --revoke ID' revokes one."
    })
final class LinkCommand implements Callable<Integer> {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PATH",
      description = "The file or folder, such as /Pictures/2026.")
  String remote;

  @Option(
      names = "--expires",
      paramLabel = "DURATION",
      description = "Stop working after this long: a number and a unit (m, h or d), such as 7d.")
  String expires;

  @Option(names = "--password", description = "Ask for a password the link will need.")
  boolean password;

  @Option(
      names = "--password-stdin",
      description = "Read the link's password from standard input (implies --password).")
  boolean passwordStdin;

  @Option(names = "--list", description = "List PATH's links instead of making one.")
  boolean list;

  @Option(
      names = "--revoke",
      paramLabel = "ID",
      description = "Revoke the link with this id (from --list): it stops working at once.")
  String revoke;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (revoke != null) {
      refuse(remote != null || list || making(), "--revoke takes a link id and nothing else");
      SessionOptions.client().revokeLink(revoke);
      out.println("Revoked " + revoke + ".");
      return 0;
    }
    refuse(remote == null, "name the file or folder (PATH)");
    CofferClient client = SessionOptions.client();
    String fileId = client.lookup(remote).id();
    if (list) {
      refuse(making(), "--list takes no --expires or --password");
      for (LinkInfo link : client.links(fileId)) {
        out.printf(
            "%-26s  created %s  %s  %s%n",
            link.id(),
            TIME.format(link.created()),
            link.expiresAt() == null ? "never expires" : "expires " + TIME.format(link.expiresAt()),
            link.hasPassword() ? "password" : "no password");
      }
      return 0;
    }
    Instant expiresAt = expires == null ? null : Instant.now().plus(duration(expires));
    String secret =
        password || passwordStdin ? Passwords.read(passwordStdin, true, "Link password") : null;
    out.println(client.createLink(fileId, expiresAt, secret).url());
    return 0;
  }

  private boolean making() {
    return expires != null || password || passwordStdin;
  }

  private void refuse(boolean wrong, String message) {
    if (wrong) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  private Duration duration(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--expires takes a number and a unit (m, h or d), such as 7d, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
