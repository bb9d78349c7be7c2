package coffer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The sync client's scenarios, with real {@code coffer sync} processes against a running server
 * (see {@code bench/sync-client.sh}): a small file from device A to device B (latency), the initial
 * sync of many small files, a 1-byte insertion in a large file, and an idle daemon's CPU.
 *
 * <p>Usage: {@code java -cp coffer-bench.jar coffer.bench.SyncScenarios URL JAR WORKDIR SCENARIO
 * [N]} with SCENARIO one of {@code latency}, {@code initial}, {@code insert}, {@code idle}.
 */
public final class SyncScenarios {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String server;
  private final Path jar;
  private final Path work;

  private SyncScenarios(String server, Path jar, Path work) {
    this.server = server;
    this.jar = jar;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: SyncScenarios URL JAR WORKDIR latency|initial|insert|idle [N]");
      System.exit(2);
    }
    SyncScenarios bench = new SyncScenarios(args[0], Path.of(args[1]), Path.of(args[2]));
    int n = args.length > 4 ? Integer.parseInt(args[4]) : -1;
    switch (args[3]) {
      case "latency" -> bench.latency(n < 0 ? 100 : n);
      case "initial" -> bench.initial(n < 0 ? 10_000 : n);
      case "insert" -> bench.insert(n < 0 ? 256 : n);
      case "idle" -> bench.idle(n < 0 ? 100_000 : n);
      default -> throw new IllegalArgumentException("unknown scenario " + args[3]);
    }
  }

  /** One device: its home (session, index), its folder, and its daemon when running. */
  private final class Device {
    final String name;
    final Path home;
    final Path dir;
    Process daemon;

    Device(String user, String name, String token, String deviceId) throws IOException {
      this.name = name;
      this.home = Files.createDirectories(work.resolve(user).resolve(name + "-home"));
      this.dir = Files.createDirectories(work.resolve(user).resolve(name));
      Files.writeString(
          home.resolve("session.json"),
          JSON.writeValueAsString(
              Map.of("server", server, "username", user, "token", token, "deviceId", deviceId)));
    }

    ProcessBuilder coffer(String... args) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // Extra JVM options for the client processes, e.g. a flight recording per device:
      // COFFER_BENCH_CLIENT_OPTS='-XX:StartFlightRecording:filename=/tmp/{device}.jfr'
      String extra = System.getenv("COFFER_BENCH_CLIENT_OPTS");
      if (extra != null && !extra.isBlank()) {
        for (String option : extra.trim().split("\\s+")) {
          command.add(option.replace("{device}", name));
        }
      }
      // As ./coffer runs commands: with the class-data archive beside the jar (see warmUp()).
      command.add("-XX:+AutoCreateSharedArchive");
      command.add("-XX:SharedArchiveFile=" + jar.resolveSibling("coffer.jsa"));
      command.add("-Xlog:cds=off");
      command.add("-jar");
      command.add(jar.toString());
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("COFFER_HOME", home.toString());
      return builder;
    }

    /** {@code coffer sync --once}; returns seconds. */
    double once() throws Exception {
      long t0 = System.nanoTime();
      Process p =
          coffer("sync", dir.toString(), "--once", "--device=" + name)
              .redirectOutput(home.resolve("once.log").toFile())
              .start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(name + ": " + Files.readString(home.resolve("once.log")));
      }
      return (System.nanoTime() - t0) / 1e9;
    }

    void start() throws IOException {
      daemon =
          coffer("sync", dir.toString(), "--device=" + name)
              .redirectOutput(home.resolve("daemon.log").toFile())
              .start();
    }

    void stop() throws InterruptedException {
      if (daemon != null) {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private List<Device> pair() throws Exception {
    String user = "bench" + System.nanoTime() % 100_000_000;
    Map<String, String> credentials = Map.of("username", user, "password", "bench-password-1");
    post("/api/v1/auth/signup", credentials);
    List<Device> devices = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      JsonNode login =
          post(
              "/api/v1/auth/login",
              Map.of("username", user, "password", "bench-password-1", "device", name));
      devices.add(
          new Device(user, name, login.path("token").asText(), login.path("deviceId").asText()));
    }
    return devices;
  }

  // --- scenarios -------------------------------------------------------------------------------

  /** A 4 KiB file saved on A, complete on B: both daemons running. */
  void latency(int trials) throws Exception {
    List<Device> d = pair();
    Device a = d.get(0);
    Device b = d.get(1);
    a.start();
    b.start();
    try {
      Random random = new Random(4);
      long[] micros = new long[trials];
      for (int i = -10; i < trials; i++) { // ten to warm up
        byte[] content = new byte[4096];
        random.nextBytes(content);
        Path tmp = a.dir.resolve(".tmp-" + i + ".coffer-part");
        Files.write(tmp, content);
        long t0 = System.nanoTime();
        Files.move(tmp, a.dir.resolve("f" + i + ".bin"), StandardCopyOption.ATOMIC_MOVE);
        Path arrived = b.dir.resolve("f" + i + ".bin");
        while (!(Files.exists(arrived) && Arrays.equals(Files.readAllBytes(arrived), content))) {
          Thread.onSpinWait();
          Thread.sleep(1);
          if (System.nanoTime() - t0 > Duration.ofSeconds(60).toNanos()) {
            throw new IllegalStateException("f" + i + " did not arrive within 60 s");
          }
        }
        if (i >= 0) {
          micros[i] = (System.nanoTime() - t0) / 1000;
        }
        Thread.sleep(100);
      }
      Arrays.sort(micros);
      System.out.printf(
          "4 KiB file saved on A -> complete on B, %d trials: p50 %.0f ms, p95 %.0f ms, max %.0f"
              + " ms%n",
          trials, pct(micros, 50) / 1e3, pct(micros, 95) / 1e3, micros[trials - 1] / 1e3);
    } finally {
      a.stop();
      b.stop();
    }
  }

  /**
   * One untimed sync of a few files between two throwaway devices, so the timed processes start as
   * a user's commands do: with the class-data archive that ./coffer's first command after a build
   * writes beside the jar (a process that has to write it spends a second doing so at exit).
   */
  private void warmUp() throws Exception {
    List<Device> d = pair();
    for (int i = 0; i < 20; i++) {
      Files.write(d.get(0).dir.resolve("warm-up-" + i + ".txt"), new byte[1024]);
    }
    d.get(0).once();
    d.get(1).once();
  }

  /** {@code n} files of 10 KiB from A to B through the server, each side one {@code --once}. */
  void initial(int n) throws Exception {
    warmUp();
    List<Device> d = pair();
    Device a = d.get(0);
    Device b = d.get(1);
    Random random = new Random(10);
    for (int i = 0; i < n; i++) {
      byte[] content = new byte[10 * 1024];
      random.nextBytes(content);
      Path file = a.dir.resolve("d" + i / 1000).resolve("f" + i + ".bin");
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    }
    double up = a.once();
    double down = b.once();
    long arrived;
    try (var walk = Files.walk(b.dir)) {
      arrived = walk.filter(Files::isRegularFile).count();
    }
    System.out.printf(
        "initial sync of %d x 10 KiB: A uploads in %.1f s, B downloads in %.1f s, %.1f s in all"
            + " (%d files arrived)%n",
        n, up, down, up + down, arrived);
  }

  /** A 1-byte insertion in the middle of a {@code mib} MiB file, from A's edit to B's copy. */
  void insert(int mib) throws Exception {
    List<Device> d = pair();
    Device a = d.get(0);
    Device b = d.get(1);
    Path file = a.dir.resolve("big.bin");
    byte[] block = new byte[1 << 20];
    Random random = new Random(256);
    try (var out = Files.newOutputStream(file)) {
      for (int i = 0; i < mib; i++) {
        random.nextBytes(block);
        out.write(block);
      }
    }
    double up = a.once();
    double down = b.once();
    boolean same = sha256(file).equals(sha256(b.dir.resolve("big.bin")));
    System.out.printf(
        "a new %d MiB file: A uploads in %.1f s, B downloads in %.1f s (%s)%n",
        mib, up, down, same ? "identical" : "DIFFERENT");
    a.start();
    b.start();
    try {
      Thread.sleep(5000); // both daemons settled
      Path edited = a.dir.resolve(".big.bin.edit.coffer-part");
      long middle = (long) mib << 19;
      Files.copy(file, edited);
      try (RandomAccessFile raf = new RandomAccessFile(edited.toFile(), "rw")) {
        byte[] tail = new byte[(int) (raf.length() - middle)];
        raf.seek(middle);
        raf.readFully(tail);
        raf.seek(middle);
        raf.write('!');
        raf.write(tail);
      }
      String want = sha256(edited);
      long size = Files.size(edited);
      long t0 = System.nanoTime();
      Files.move(edited, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Path copy = b.dir.resolve("big.bin");
      // Downloads replace the file by an atomic rename: the new size marks the arrival. The
      // copy's hash is checked after that moment is taken, so checking costs the figure nothing.
      long arrived;
      while (true) {
        if (Files.size(copy) == size) {
          arrived = System.nanoTime();
          if (sha256(copy).equals(want)) {
            break;
          }
        }
        Thread.sleep(2);
        if (System.nanoTime() - t0 > Duration.ofMinutes(5).toNanos()) {
          throw new IllegalStateException("the edit did not arrive within 5 minutes");
        }
      }
      double seconds = (arrived - t0) / 1e9;
      System.out.printf(
          "1-byte insertion in the middle of %d MiB: on B %.2f s after the save (then verified"
              + " identical)%n",
          mib, seconds);
      System.out.println("A: " + lastLine(a.home.resolve("daemon.log"), "chunks sent"));
      System.out.println("B: " + lastLine(b.home.resolve("daemon.log"), "chunks fetched"));
    } finally {
      a.stop();
      b.stop();
    }
  }

  /** An idle daemon watching {@code n} files: CPU it uses in a minute. */
  void idle(int n) throws Exception {
    List<Device> d = pair();
    Device a = d.get(0);
    for (int i = 0; i < n; i++) {
      Path file = a.dir.resolve("d" + i / 1000).resolve("f" + i + ".txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, "file " + i);
    }
    double first = a.once();
    System.out.printf("%d files: first sync (upload) %.1f s%n", n, first);
    a.start();
    Thread.sleep(15_000); // started, scanned, settled
    long before = cpuTicks(a.daemon.pid());
    Thread.sleep(60_000);
    long after = cpuTicks(a.daemon.pid());
    a.stop();
    System.out.printf(
        "idle daemon over %d files: %.2f s of CPU in 60 s (%.2f%% of one core)%n",
        n, (after - before) / 100.0, (after - before) / 100.0 / 60 * 100);
  }

  // --- helpers -------------------------------------------------------------------------------

  private static long cpuTicks(long pid) throws IOException {
    String[] stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat")).split(" ");
    return Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
  }

  private static String lastLine(Path log, String containing) throws IOException {
    List<String> lines = Files.readAllLines(log);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).contains(containing)) {
        return lines.get(i);
      }
    }
    return "(no line with '" + containing + "')";
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private JsonNode post(String path, Object body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(server).resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(path + " -> " + response.statusCode() + response.body());
    }
    return JSON.readTree(response.body());
  }

  private static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
