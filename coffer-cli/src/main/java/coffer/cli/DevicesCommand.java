package coffer.cli;

import coffer.client.CofferClient;
import coffer.core.api.DeviceInfo;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = "List this account's signed-in devices and how up to date each one is.",
    subcommands = DevicesCommand.Revoke.class)
final class DevicesCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    print(spec.commandLine().getOut(), SessionOptions.client().devices());
    return 0;
  }

  /** One line a device: id, name, when last seen, how far behind the feed. */
  static void print(PrintWriter out, java.util.List<DeviceInfo> devices) {
    for (DeviceInfo d : devices) {
      out.printf(
          "%-22s  %-24s  last seen %-16s  %s%s%n",
          d.id(),
          d.name(),
          d.lastUsedAt() == null ? "never" : TIME.format(d.lastUsedAt()),
          position(d),
          d.current() ? "  (this device)" : "");
    }
  }

  private static String position(DeviceInfo d) {
    if (d.behind() == null) {
      return "not syncing";
    }
    if (d.behind() == 0) {
      return "up to date";
    }
    return d.behind() + (d.behind() == 1 ? " change" : " changes") + " behind";
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Sign a device out: its token stops working at once.")
  static final class Revoke implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEVICE_ID", description = "From 'coffer devices'.")
    String deviceId;

    @Override
    public Integer call() {
      CofferClient client = SessionOptions.client();
      client.revokeDevice(deviceId);
      spec.commandLine().getOut().println("Revoked " + deviceId + ".");
      return 0;
    }
  }
}
