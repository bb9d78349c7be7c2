package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.AccountInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Looking after other accounts, for an admin signed in on this device. */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Manage accounts and their devices (an admin's session only).",
    subcommands = {
      AdminCommand.Users.class,
      AdminCommand.CreateUser.class,
      AdminCommand.Devices.class,
      AdminCommand.Revoke.class,
      AdminCommand.Quota.class,
      AdminCommand.Scrub.class,
      AdminCommand.Fsck.class,
      AdminCommand.Backup.class
    })
final class AdminCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  @Command(
      name = "users",
      mixinStandardHelpOptions = true,
      description = "List every account, by username.")
  static final class Users implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      CofferClient client = SessionOptions.client();
      PrintWriter out = spec.commandLine().getOut();
      String after = null;
      while (true) {
        List<AccountInfo> page = client.adminUsers(after, 500);
        for (AccountInfo user : page) {
          out.printf("%-26s  %s%s%n", user.id(), user.username(), user.admin() ? "  (admin)" : "");
        }
        if (page.size() < 500) {
          return 0;
        }
        after = page.getLast().username();
      }
    }
  }

  @Command(
      name = "create-user",
      mixinStandardHelpOptions = true,
      description = "Create an account (whatever the server's sign-up policy).")
  static final class CreateUser implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Option(names = "--password-stdin", description = "Read the new password from standard input.")
    boolean passwordStdin;

    @Override
    public Integer call() {
      String password = Passwords.read(passwordStdin, true, "the new account's password");
      AccountInfo created = SessionOptions.client().signup(username, password);
      spec.commandLine().getOut().printf("Created %s (%s).%n", created.username(), created.id());
      return 0;
    }
  }

  @Command(
      name = "devices",
      mixinStandardHelpOptions = true,
      description = "List a user's signed-in devices.")
  static final class Devices implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Override
    public Integer call() {
      DevicesCommand.print(
          spec.commandLine().getOut(), SessionOptions.client().adminDevices(username));
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Sign one of a user's devices out: its token stops working at once.")
  static final class Revoke implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Parameters(index = "1", paramLabel = "DEVICE_ID", description = "From 'coffer admin devices'.")
    String deviceId;

    @Override
    public Integer call() {
      SessionOptions.client().adminRevokeDevice(username, deviceId);
      spec.commandLine().getOut().println("Revoked " + deviceId + " of " + username + ".");
      return 0;
    }
  }

  @Command(
      name = "quota",
      mixinStandardHelpOptions = true,
      description = {
        "Show a user's storage use and quota, or set it: 500M, 20G, 1T (powers of 1024),",
        "a number of bytes, or 'none'. Versions and the trash do not count; a shared folder",
        "counts against its owner."
      })
  static final class Quota implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Parameters(index = "1", paramLabel = "SIZE", arity = "0..1")
    String size;

    @Override
    public Integer call() {
      CofferClient client = SessionOptions.client();
      coffer.core.api.StorageUsage usage =
          size == null ? client.adminQuota(username) : client.adminSetQuota(username, parse(size));
      spec.commandLine()
          .getOut()
          .printf(
              "%s uses %s of %s%n",
              usage.username(),
              ProgressBar.human(usage.usedBytes()),
              usage.quotaBytes() == null ? "no quota" : ProgressBar.human(usage.quotaBytes()));
      return 0;
    }

    private Long parse(String size) {
      String s = size.trim().toUpperCase(java.util.Locale.ROOT);
      if (s.equals("NONE")) {
        return null;
      }
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)I?B?").matcher(s);
      if (!m.matches()) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "SIZE must be like 500M, 20G, 1T, a number of bytes, or 'none': " + size);
      }
      int power = "BKMGT".indexOf(m.group(2).isEmpty() ? "B" : m.group(2));
      return (long) (Double.parseDouble(m.group(1)) * Math.pow(1024, power));
    }
  }

  @Command(
      name = "scrub",
      mixinStandardHelpOptions = true,
      description = {
        "Read back every stored chunk and verify its SHA-256, and look for chunks that files",
        "refer to but storage lacks. Exit code 1 when anything is wrong. (The server also",
        "scrubs weekly, logging what it finds.)"
      })
  static final class Scrub implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      coffer.core.api.ScrubReport report = SessionOptions.client().adminScrub();
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "Checked %d chunks (%s) in %d ms.%n",
          report.chunksChecked(),
          ProgressBar.human(report.bytesChecked()),
          java.time.Duration.between(report.started(), report.finished()).toMillis());
      for (coffer.core.api.ScrubReport.ChunkProblem p : report.corrupt()) {
        out.println("CORRUPT " + p.hash() + " in " + String.join(", ", p.files()));
      }
      for (coffer.core.api.ScrubReport.ChunkProblem p : report.missing()) {
        out.println("MISSING " + p.hash() + " in " + String.join(", ", p.files()));
      }
      if (report.clean()) {
        out.println("All intact.");
        return 0;
      }
      out.println(
          "Damaged files cannot be downloaded (the server refuses to serve wrong bytes):"
              + " restore the named blobs from a backup (see docs/OPERATIONS.md, Scrubbing).");
      return 1;
    }
  }

  @Command(
      name = "fsck",
      mixinStandardHelpOptions = true,
      description = {
        "Check the metadata against its own rules (every file's parent, current version and",
        "chunk list) and against storage (chunks files refer to but storage lacks), changing",
        "nothing. Exit code 1 when anything is wrong."
      })
  static final class Fsck implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      coffer.core.api.FsckReport report = SessionOptions.client().adminFsck();
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "Checked %d files and folders and %d versions in %d ms.%n",
          report.nodes(),
          report.revisions(),
          java.time.Duration.between(report.started(), report.finished()).toMillis());
      for (coffer.core.api.FsckReport.Finding f : report.findings()) {
        out.println(
            f.kind().toUpperCase(java.util.Locale.ROOT) + " " + f.subject() + ": " + f.detail());
      }
      for (coffer.core.api.ScrubReport.ChunkProblem p : report.missing()) {
        out.println("MISSING " + p.hash() + " in " + String.join(", ", p.files()));
      }
      if (report.clean()) {
        out.println("All consistent.");
        return 0;
      }
      out.println("See docs/OPERATIONS.md (Checking and repairing) for what each problem means.");
      return 1;
    }
  }

  @Command(
      name = "backup",
      mixinStandardHelpOptions = true,
      description = {
        "Back up an embedded server (SQLite metadata) into FOLDER on the server's machine: the",
        "metadata as of now and every chunk, verified as it is copied. Run it again on the same",
        "folder to bring it up to date: only new chunks are written. To restore, stop the",
        "server and put the folder in place of the data directory (docs/OPERATIONS.md)."
      })
  static final class Backup implements Callable<Integer> {

    @Spec CommandSpec spec;

    @picocli.CommandLine.Parameters(
        paramLabel = "FOLDER",
        description = "Where to write the backup: new, empty, or an earlier backup.")
    java.nio.file.Path folder;

    @Override
    public Integer call() {
      coffer.core.api.BackupReport report =
          SessionOptions.client().adminBackup(folder.toAbsolutePath().normalize().toString());
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "Backed up to %s in %d ms: %d chunks written (%s), %d already there.%n",
          report.path(),
          java.time.Duration.between(report.started(), report.finished()).toMillis(),
          report.chunksCopied(),
          ProgressBar.human(report.bytesCopied()),
          report.chunksPresent());
      if (!report.unreadable().isEmpty()) {
        for (String hash : report.unreadable()) {
          out.println("UNREADABLE " + hash);
        }
        out.println("These chunks are damaged and are not in the backup: run coffer admin scrub.");
        return 1;
      }
      out.println(
          "Keep the master key (the .key file beside the data directory) safe apart from it.");
      return 0;
    }
  }
}
