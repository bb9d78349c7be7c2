package coffer.sim;

import coffer.client.ApiException;
import coffer.client.LocalChunks;
import coffer.client.sync.SyncEngine;
import coffer.core.model.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One seeded run: three devices of one account make random edits, sync at random moments, go
 * offline, crash and lose requests and answers; then everything is brought back and synced until
 * quiet. The run checks that all devices (and a fresh fourth) hold the same tree, that every
 * content a completed sync saw on a device is still on the server (as a current file, a conflicted
 * copy, an old version or in the trash), and that no file holds bytes nobody wrote. The same seed
 * gives the same trace.
 */
final class Simulation implements AutoCloseable {

  /** What a run found; {@code problems} is empty when all held. */
  record Result(
      long seed,
      int operations,
      int syncs,
      int crashes,
      List<String> crashPoints,
      int divergences,
      int lost,
      List<String> problems,
      List<String> trace) {

    boolean ok() {
      return problems.isEmpty();
    }

    /** The failure, with what is needed to run it again and the end of the trace. */
    String report() {
      List<String> tail = trace.subList(Math.max(0, trace.size() - 120), trace.size());
      return "seed "
          + seed
          + ": "
          + String.join("; ", problems)
          + "\nreproduce: ./mvnw -pl coffer-sim -am test -Dtest=SimulationTest -Dcoffer.sim.seed="
          + seed
          + " -Dcoffer.sim.ops="
          + operations
          + " -Dsurefire.failIfNoSpecifiedTests=false\n"
          + "last "
          + tail.size()
          + " trace lines:\n"
          + String.join("\n", tail);
    }
  }

  private static final String[] FOLDERS = {"", "", "docs", "docs/old", "pics", "x"};
  private static final String[] NAMES = {
    "a.txt", "b.txt", "notes.md", "photo.jpg", "report (final).doc", "ü.txt", "z"
  };

  private final long seed;
  private final Random random;
  private final SimClock clock = new SimClock();
  private final List<String> trace = new ArrayList<>();
  private final Chaos chaos;
  private final SimServer server;
  private final Map<String, SimDevice> devices = new LinkedHashMap<>();
  private final Path work;
  private final AutoCloseable ids;
  private final Set<String> written = new HashSet<>();
  private final Set<String> required = new TreeSet<>();
  private String invariantBroken;
  private int depth;
  private int syncs;
  private int writes;

  Simulation(long seed, Path work) throws IOException {
    this.seed = seed;
    this.random = new Random(seed);
    this.work = work;
    this.ids = Ids.drawnFrom(new Random(~seed));
    this.chaos = new Chaos(random, trace::add);
    this.server = new SimServer(Files.createDirectories(work.resolve("server")), clock);
    for (String name : List.of("A", "B", "C")) {
      devices.put(name, device(name));
    }
  }

  private SimDevice device(String name) throws IOException {
    SimApi api = new SimApi(server, server.device("sim", name), name, chaos, this::interfere);
    return new SimDevice(name, work, api, clock, random, chaos, trace::add);
  }

  Result run(int operations) throws IOException {
    return run(operations, false);
  }

  /**
   * Runs {@code operations} user edits with syncs between them, then checks; with {@code sabotage}
   * the server forgets one synced content before the check, which must then fail.
   */
  Result run(int operations, boolean sabotage) {
    List<String> problems = new ArrayList<>();
    int divergences = 0;
    int lost = 0;
    try {
      divergences = work(operations, sabotage, problems);
      lost = check(problems);
    } catch (IOException | RuntimeException e) {
      java.io.StringWriter stack = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(stack));
      problems.add("unexpected failure: " + stack);
    }
    return new Result(
        seed,
        operations,
        syncs,
        chaos.crashes(),
        chaos.crashPoints(),
        divergences,
        lost,
        problems,
        List.copyOf(trace));
  }

  private int work(int operations, boolean sabotage, List<String> problems) throws IOException {
    for (int done = 0; done < operations; ) {
      clock.advance(Duration.ofMillis(random.nextInt(4) == 0 ? 0 : random.nextInt(3000)));
      SimDevice device = pick();
      int roll = random.nextInt(100);
      if (roll < 60) {
        edit(device);
        done++;
      } else if (roll < 92) {
        sync(device);
      } else if (roll < 97) {
        device.api.offline(!device.api.offline());
        trace.add(device.name + (device.api.offline() ? " goes offline" : " comes back online"));
      } else {
        trace.add(device.name + " restarts");
        device.restart();
      }
    }
    int divergences = quiesce(problems);
    if (invariantBroken != null) {
      problems.add(invariantBroken);
    }
    if (sabotage && !required.isEmpty()) {
      String victim = required.iterator().next();
      trace.add("sabotage: the server forgets " + victim);
      server.lose(victim);
    }
    return divergences;
  }

  private SimDevice pick() {
    List<SimDevice> all = List.copyOf(devices.values());
    return all.get(random.nextInt(all.size()));
  }

  // --- devices at work -------------------------------------------------------------------------

  /** Another device edits and syncs while {@code busy} is in the middle of a sync. */
  private void interfere(String busy) {
    if (depth > 0) {
      return;
    }
    List<SimDevice> others = devices.values().stream().filter(d -> !d.name.equals(busy)).toList();
    SimDevice other = others.get(random.nextInt(others.size()));
    trace.add("  meanwhile " + other.name + ":");
    depth++;
    boolean armed = chaos.armed();
    try {
      edit(other);
      sync(other);
    } catch (IOException e) {
      throw new IllegalStateException("the simulation itself failed", e);
    } finally {
      depth--;
      chaos.arm(armed);
    }
  }

  /** One sync attempt and, whatever became of it, the index's invariants. */
  private boolean sync(SimDevice device) throws IOException {
    boolean done = attempt(device);
    List<String> orphans = device.orphans();
    if (!orphans.isEmpty() && invariantBroken == null) {
      invariantBroken = device.name + "'s synced tree holds items outside it: " + orphans;
      trace.add("  invariant broken: " + invariantBroken);
    }
    if (device.badProgress != null && invariantBroken == null) {
      invariantBroken = device.name + " reported impossible progress: " + device.badProgress;
      trace.add("  invariant broken: " + invariantBroken);
    }
    return done;
  }

  /** One sync attempt, as a round of the daemon would make it; true when it completed. */
  private boolean attempt(SimDevice device) throws IOException {
    syncs++;
    chaos.arm(false);
    boolean reachable = !device.api.offline();
    if (reachable) {
      device.tree().values().stream().filter(c -> !c.equals("/")).forEach(device.pending::add);
    }
    try {
      SyncEngine.Report report = device.sync();
      trace.add(
          device.name
              + " synced: "
              + report.rounds()
              + " rounds, "
              + report.actions()
              + " actions, "
              + report.failed()
              + " failed");
      required.addAll(device.pending);
      device.pending.clear();
      return true;
    } catch (SimCrash crash) {
      trace.add(device.name + " crashed; restarts");
      device.restart();
    } catch (UncheckedIOException e) {
      trace.add(device.name + " could not reach the server: " + e.getCause().getMessage());
    } catch (SyncEngine.Paused paused) {
      trace.add(device.name + " paused: " + paused.getMessage());
      if (paused.getMessage().contains("--confirm-deletes")) {
        device.confirmDeletes();
        trace.add(device.name + " confirms the deletes");
      }
    } catch (ApiException e) {
      trace.add(device.name + " refused: " + e.status() + " " + e.getMessage());
    }
    return false;
  }

  /** A random change a user makes in the folder. */
  private void edit(SimDevice device) throws IOException {
    List<String> files = device.files();
    List<String> folders = device.folders();
    int roll = random.nextInt(100);
    if (roll < 30 || files.isEmpty()) {
      String path = join(pickFrom(FOLDERS), pickFrom(NAMES));
      write(device, path, false);
    } else if (roll < 45) {
      write(device, pickFrom(files), false);
    } else if (roll < 52) {
      write(device, pickFrom(files), true);
    } else if (roll < 64) {
      String path = pickFrom(files);
      device.destroys(path);
      Files.delete(device.root.resolve(path));
      trace.add(device.name + " deletes " + path);
    } else if (roll < 78) {
      String from = pickFrom(files);
      String to =
          random.nextInt(5) == 0 ? caseChanged(from) : join(pickFrom(FOLDERS), pickFrom(NAMES));
      move(device, from, to);
    } else if (roll < 84) {
      String path = join(pickFrom(FOLDERS), pickFrom(new String[] {"new", "sub", "Archive"}));
      if (clashes(device, path)) {
        return;
      }
      createParents(device, device.root.resolve(path).resolve("x"));
      trace.add(device.name + " makes folder " + path);
    } else if (roll < 91 && !folders.isEmpty()) {
      String path = pickFrom(folders);
      device.destroys(path);
      deleteTree(device.root.resolve(path));
      trace.add(device.name + " deletes folder " + path);
    } else if (!folders.isEmpty()) {
      String from = pickFrom(folders);
      String to = join(pickFrom(FOLDERS), pickFrom(new String[] {"moved", "docs2", "Pics"}));
      if (!to.equals(from) && !to.startsWith(from + "/")) {
        move(device, from, to);
      }
    } else {
      write(device, join(pickFrom(FOLDERS), pickFrom(NAMES)), false);
    }
  }

  private void write(SimDevice device, String path, boolean append) throws IOException {
    Path file = device.root.resolve(path);
    if (Files.isDirectory(file) || clashes(device, path)) {
      return;
    }
    createParents(device, file);
    if (Files.exists(file.getParent()) && !Files.isDirectory(file.getParent())) {
      return;
    }
    byte[] bytes = content(device.name);
    device.destroys(path);
    if (append && Files.exists(file)) {
      Files.write(file, bytes, java.nio.file.StandardOpenOption.APPEND);
    } else {
      Files.write(file, bytes);
    }
    String content = LocalChunks.chunksOf(file, SimDevice.INLINE).contentHash();
    written.add(content);
    trace.add(
        device.name
            + (append ? " appends to " : " writes ")
            + path
            + " ("
            + bytes.length
            + " bytes, now "
            + content.substring(0, 8)
            + ")");
  }

  private void move(SimDevice device, String from, String to) throws IOException {
    Path source = device.root.resolve(from);
    Path target = device.root.resolve(to);
    if (from.equals(to) || Files.exists(target) || clashes(device, to, from)) {
      return;
    }
    createParents(device, target);
    if (!Files.isDirectory(target.getParent())) {
      return;
    }
    Files.move(source, target);
    trace.add(device.name + " moves " + from + " to " + to);
  }

  /**
   * Whether another entry of the target's folder has the same name but for case: the server keeps
   * names unique regardless of case, so such a pair could never sync (it is reported instead), and
   * a user on a case-insensitive system could not make it anyway.
   */
  private static boolean clashes(SimDevice device, String path) throws IOException {
    return clashes(device, path, null);
  }

  private static boolean clashes(SimDevice device, String path, String except) throws IOException {
    Path at = device.root;
    for (String name : path.split("/")) {
      if (!Files.isDirectory(at)) {
        return false;
      }
      Path here = at;
      try (Stream<Path> siblings = Files.list(here)) {
        if (siblings.anyMatch(
            p -> {
              String n = p.getFileName().toString();
              return !n.equals(name)
                  && n.equalsIgnoreCase(name)
                  && !device.root.relativize(p).toString().equals(except);
            })) {
          return true;
        }
      }
      at = at.resolve(name);
    }
    return false;
  }

  private void createParents(SimDevice device, Path file) throws IOException {
    Path parent = file.getParent();
    for (Path p = parent; !p.equals(device.root); p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        return; // a file stands where a folder would go: the user would pick another name
      }
    }
    Files.createDirectories(parent);
  }

  private byte[] content(String device) {
    String text = "seed " + seed + ", device " + device + ", write " + (++writes) + "\n";
    int extra =
        random.nextInt(150) == 0 ? 1_000_000 + random.nextInt(700_000) : random.nextInt(2000);
    byte[] head = text.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + extra];
    System.arraycopy(head, 0, bytes, 0, head.length);
    for (int i = head.length; i < bytes.length; i++) {
      bytes[i] = (byte) ('a' + random.nextInt(26));
    }
    return bytes;
  }

  private String caseChanged(String path) {
    int slash = path.lastIndexOf('/');
    String name = path.substring(slash + 1);
    String changed =
        name.equals(name.toUpperCase(java.util.Locale.ROOT))
            ? name.toLowerCase(java.util.Locale.ROOT)
            : name.toUpperCase(java.util.Locale.ROOT);
    return path.substring(0, slash + 1) + changed;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String join(String folder, String name) {
    return folder.isEmpty() ? name : folder + "/" + name;
  }

  private String pickFrom(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private String pickFrom(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }

  // --- the end: quiet, converged, nothing lost ---------------------------------------------------

  /** Brings every device back and syncs until all agree; the passes that still disagreed. */
  private int quiesce(List<String> problems) throws IOException {
    trace.add("-- quiesce --");
    chaos.odds(Chaos.Odds.NONE);
    devices.values().forEach(d -> d.api.offline(false));
    int divergences = 0;
    for (int pass = 1; pass <= 6; pass++) {
      for (SimDevice device : devices.values()) {
        if (!sync(device) && !sync(device)) {
          problems.add(device.name + " cannot complete a sync when all is quiet");
        }
      }
      if (agreed()) {
        return divergences;
      }
      divergences = pass;
    }
    problems.add("devices still differ after 6 quiet passes: " + differences());
    return divergences;
  }

  private boolean agreed() {
    Set<Map<String, String>> trees = new HashSet<>();
    devices.values().forEach(d -> trees.add(d.tree()));
    return trees.size() == 1;
  }

  private String differences() {
    StringBuilder out = new StringBuilder();
    devices.values().forEach(d -> out.append("\n  ").append(d.name).append(": ").append(d.tree()));
    return out.toString();
  }

  /**
   * Every required content is on the server; every file holds bytes someone wrote; a fresh device
   * agrees.
   */
  private int check(List<String> problems) throws IOException {
    Set<String> onServer = server.everyContent();
    int lost = 0;
    for (String content : required) {
      if (!onServer.contains(content)) {
        lost++;
        problems.add("content " + content + " was synced from a device and is gone");
      }
    }
    for (SimDevice device : devices.values()) {
      device
          .tree()
          .forEach(
              (path, content) -> {
                if (!content.equals("/") && !written.contains(content)) {
                  problems.add(device.name + " holds bytes nobody wrote at " + path);
                }
              });
    }
    if (problems.isEmpty()) {
      try (SimDevice fresh = device("D")) {
        devices.put("D", fresh);
        if (!sync(fresh)) {
          problems.add("a fresh device could not sync");
        } else if (!agreed()) {
          problems.add("a fresh device sees another tree: " + differences());
        }
        devices.remove("D");
      }
    }
    return lost;
  }

  @Override
  public void close() throws IOException {
    for (SimDevice device : devices.values()) {
      device.close();
    }
    server.close();
    try {
      ids.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
