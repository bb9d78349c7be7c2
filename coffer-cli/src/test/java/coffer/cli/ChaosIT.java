package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.cli.Processes.Server;
import coffer.client.CofferClient;
import coffer.client.Session;
import coffer.core.api.LoginResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The black-box randomized run: a real server and three real {@code coffer sync} daemons on
 * temporary folders. For a while the test creates, overwrites, renames, moves and deletes files on
 * random devices, freezes daemons (SIGSTOP, later SIGCONT), kills daemons (SIGKILL, then starts
 * them again) and kills the server (SIGKILL, then starts it again on the same port and data). Then
 * everything runs until quiet: the three folders must be the same, hold every content the test
 * wrote and did not itself overwrite or delete, and no bytes the test never wrote. {@code
 * -Dcoffer.chaos.seed=S} replays a seed's choices, {@code -Dcoffer.chaos.seconds=T} runs longer.
 */
class ChaosIT {

  private static final long SEED = Long.getLong("coffer.chaos.seed", 20261202);
  private static final Duration RUN = Duration.ofSeconds(Long.getLong("coffer.chaos.seconds", 40));
  private static final String[] FOLDERS = {"", "docs", "docs/old", "pics"};

  @TempDir Path tmp;

  private final Random random = new Random(SEED);
  private final List<String> trace = new ArrayList<>();
  private final Set<String> written = new HashSet<>();
  private final Set<String> required = new HashSet<>();
  private int writes;

  /** One device: its home, its folder and its daemon (null while killed). */
  private final class Device {
    final String name;
    final Path home;
    final Path dir;
    Process daemon;
    Instant frozenUntil;

    Device(String name, Path home, Path dir) {
      this.name = name;
      this.home = home;
      this.dir = dir;
    }

    void start() throws IOException {
      ProcessBuilder builder =
          new ProcessBuilder(Processes.java("sync", dir.toString(), "--device=" + name))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("daemon.log").toFile()))
              .directory(home.toFile());
      builder.environment().put("COFFER_HOME", home.toString());
      builder.environment().remove("COFFER_SERVER");
      daemon = builder.start();
      frozenUntil = null;
    }

    void signal(String signal) throws Exception {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(daemon.pid()))
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    }

    void kill() throws InterruptedException {
      daemon.destroyForcibly();
      daemon.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void random_edits_freezes_and_kills_converge_and_lose_nothing() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path data = tmp.resolve("server");
    Server server = Server.start(data, "--port", String.valueOf(port));
    List<Device> devices = new ArrayList<>();
    try {
      CofferClient anonymous = new CofferClient(URI.create(server.url()), null);
      anonymous.signup("chaos", "hunter2hunter2");
      for (String name : List.of("a", "b", "c")) {
        LoginResponse login = anonymous.login("chaos", "hunter2hunter2", name);
        Path home = Files.createDirectories(tmp.resolve(name + "-home"));
        new Session(server.url(), "chaos", login.token(), login.deviceId()).save(home);
        Device device = new Device(name, home, Files.createDirectories(tmp.resolve(name)));
        device.start();
        devices.add(device);
      }
      Instant end = Instant.now().plus(RUN);
      while (Instant.now().isBefore(end)) {
        LockSupport.parkNanos(Duration.ofMillis(20 + random.nextInt(300)).toNanos());
        thaw(devices, false);
        Device device = devices.get(random.nextInt(devices.size()));
        int roll = random.nextInt(100);
        if (roll < 80) {
          edit(device);
        } else if (roll < 90 && device.frozenUntil == null) {
          device.signal("STOP");
          device.frozenUntil = Instant.now().plusMillis(300 + random.nextInt(3000));
          trace.add(device.name + " frozen");
        } else if (roll < 97) {
          device.kill();
          trace.add(device.name + " killed and started again");
          device.start();
        } else {
          server.kill();
          trace.add("server killed and started again");
          server = Server.start(data, "--port", String.valueOf(port));
        }
      }
      thaw(devices, true);
      trace.add("-- quiet --");
      Map<String, String> tree = awaitQuiet(devices);
      Set<String> contents = new HashSet<>(tree.values());
      for (Map.Entry<String, String> file : tree.entrySet()) {
        assertThat(written)
            .as("%s holds bytes the test never wrote; seed %d; %s", file.getKey(), SEED, trace)
            .contains(file.getValue());
      }
      Set<String> missing = new HashSet<>(required);
      missing.removeAll(contents);
      assertThat(missing)
          .as("contents written and never overwritten or deleted; seed %d; %s", SEED, trace)
          .isEmpty();
      System.out.printf(
          "chaos seed %d: %d writes, %d moves, %d deletes, %d freezes, %d client kills, %d server"
              + " kills; %d files at the end%n",
          SEED,
          count(" writes "),
          count(" moves "),
          count(" deletes "),
          count(" frozen"),
          count(" killed and"),
          count("server killed"),
          tree.size());
      assertThat(trace).anyMatch(t -> t.contains("killed"));
    } finally {
      for (Device device : devices) {
        if (device.daemon != null) {
          device.signal("CONT");
          device.kill();
        }
      }
      server.close();
    }
  }

  private long count(String marker) {
    return trace.stream().filter(t -> t.contains(marker)).count();
  }

  private void thaw(List<Device> devices, boolean all) throws Exception {
    for (Device device : devices) {
      if (device.frozenUntil != null && (all || Instant.now().isAfter(device.frozenUntil))) {
        device.signal("CONT");
        device.frozenUntil = null;
      }
    }
  }

  /** One user change; a file the daemon moved or replaced meanwhile is simply left alone. */
  private void edit(Device device) throws IOException {
    List<Path> files = files(device.dir);
    int roll = random.nextInt(100);
    try {
      if (roll < 45 || files.isEmpty()) {
        String folder = FOLDERS[random.nextInt(FOLDERS.length)];
        Path file = device.dir.resolve(folder).resolve("f" + random.nextInt(1000) + ".txt");
        if (!Files.exists(file)) {
          place(device, file);
        }
      } else if (roll < 65) {
        Path file = files.get(random.nextInt(files.size()));
        required.remove(Files.readString(file, StandardCharsets.ISO_8859_1));
        place(device, file);
      } else if (roll < 85) {
        Path file = files.get(random.nextInt(files.size()));
        String folder = FOLDERS[random.nextInt(FOLDERS.length)];
        Path target = device.dir.resolve(folder).resolve("m" + random.nextInt(1000) + ".txt");
        if (!Files.exists(target)) {
          Files.createDirectories(target.getParent());
          Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
          trace.add(
              device.name
                  + " moves "
                  + device.dir.relativize(file)
                  + " to "
                  + device.dir.relativize(target));
        }
      } else {
        Path file = files.get(random.nextInt(files.size()));
        String content = Files.readString(file, StandardCharsets.ISO_8859_1);
        Files.delete(file);
        required.remove(content);
        trace.add(device.name + " deletes " + device.dir.relativize(file));
      }
    } catch (NoSuchFileException | java.nio.file.FileAlreadyExistsException moved) {
      // the daemon moved or replaced the file just now: a user would try again
    }
  }

  /** Writes new content beside the folder and moves it in at once, as editors save. */
  private void place(Device device, Path file) throws IOException {
    String content = "chaos seed " + SEED + " write " + (++writes) + " " + random.nextLong();
    Path staged = Files.createTempFile(tmp, "staged", ".txt");
    Files.writeString(staged, content, StandardCharsets.ISO_8859_1);
    Files.createDirectories(file.getParent());
    Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    written.add(content);
    required.add(content);
    trace.add(device.name + " writes " + device.dir.relativize(file));
  }

  /**
   * The user's files under a folder that the clients are syncing right now: a download's temporary
   * file can vanish between being listed and being looked at, so an entry gone meanwhile is
   * skipped, never an error.
   */
  private static List<Path> files(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            String name = file.getFileName().toString();
            if (attributes.isRegularFile()
                && !name.endsWith(".coffer-part")
                && !name.startsWith(".")) {
              files.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException failure)
              throws IOException {
            if (failure instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw failure;
          }
        });
    return files;
  }

  /** Waits until the three folders are the same and stay so for a few seconds. */
  private Map<String, String> awaitQuiet(List<Device> devices) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
    Map<String, String> last = null;
    Instant stableSince = Instant.now();
    while (true) {
      List<Map<String, String>> trees = new ArrayList<>();
      for (Device device : devices) {
        trees.add(tree(device.dir));
      }
      boolean same = trees.stream().distinct().count() == 1;
      if (!same || !trees.get(0).equals(last)) {
        stableSince = Instant.now();
        last = same ? trees.get(0) : null;
      } else if (Duration.between(stableSince, Instant.now()).toSeconds() >= 4) {
        return last;
      }
      if (Instant.now().isAfter(deadline)) {
        Map<String, Map<String, String>> byDevice = new HashMap<>();
        for (int i = 0; i < devices.size(); i++) {
          byDevice.put(devices.get(i).name, trees.get(i));
        }
        throw new AssertionError(
            "the devices did not converge; seed " + SEED + "; trees " + byDevice + "; " + trace);
      }
      LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
    }
  }

  private static Map<String, String> tree(Path dir) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    for (Path file : files(dir)) {
      try {
        tree.put(
            dir.relativize(file).toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
      } catch (NoSuchFileException moving) {
        tree.put(dir.relativize(file).toString(), "?");
      }
    }
    return tree;
  }
}
