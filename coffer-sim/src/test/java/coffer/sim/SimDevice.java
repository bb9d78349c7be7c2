package coffer.sim;

import coffer.client.LocalChunks;
import coffer.client.sync.SyncEngine;
import coffer.client.sync.SyncLog;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * One simulated device: its sync folder on an in-memory file system whose timestamps follow the
 * virtual clock, its index in a real SQLite file, and the engine, which a crash replaces with a new
 * one on the same folder and index.
 */
final class SimDevice implements AutoCloseable {

  static final InlineExecutor INLINE = new InlineExecutor();

  final String name;
  final Path root;
  final SimApi api;
  private final FileSystem fs;
  private final Path indexFile;
  private final SimClock clock;
  private final RandomGenerator random;
  private final Chaos chaos;
  private final Consumer<String> trace;
  private SyncEngine engine;

  /**
   * Contents seen at the start of sync attempts since the last complete one: a complete attempt
   * must have put each on the server, unless the user changed or deleted it first.
   */
  final Set<String> pending = new TreeSet<>();

  SimDevice(
      String name,
      Path work,
      SimApi api,
      SimClock clock,
      RandomGenerator random,
      Chaos chaos,
      Consumer<String> trace)
      throws IOException {
    this.name = name;
    this.api = api;
    this.clock = clock;
    this.random = random;
    this.chaos = chaos;
    this.trace = trace;
    this.fs =
        Jimfs.newFileSystem(
            name,
            Configuration.unix().toBuilder()
                .setAttributeViews("basic", "posix")
                .setFileTimeSource(clock::fileTime)
                .build());
    this.root = Files.createDirectories(fs.getPath("/home/" + name + "/Coffer"));
    this.indexFile = Files.createDirectories(work.resolve(name)).resolve("index.db");
    start();
  }

  /** The first impossible progress the engine reported (more done than planned, bytes < 0). */
  volatile String badProgress;

  private void start() {
    engine =
        new SyncEngine(
            api,
            new SyncEngine.Options(
                root, indexFile, name, false, SyncEngine.Options.DEFAULT_DELETE_THRESHOLD),
            new SyncLog() {
              @Override
              public void action(String symbol, String path) {
                trace.accept("    " + name + " " + symbol + " " + path);
              }

              @Override
              public void problem(String path, String message) {
                trace.accept("    " + name + " problem " + path + ": " + message);
              }

              @Override
              public synchronized void progress(int finished, int planned, long bytes) {
                if ((finished > planned || bytes < 0) && badProgress == null) {
                  badProgress = finished + " of " + planned + " actions, " + bytes + " bytes";
                }
              }
            },
            new SyncEngine.Environment(
                new SeededExecutor(random, chaos, "sync"),
                INLINE,
                new SeededExecutor(random, chaos, "transfer"),
                clock,
                point -> chaos.maybeCrash(point)));
  }

  SyncEngine.Report sync() throws IOException {
    return engine.syncOnce();
  }

  /** After a crash: the process is gone; a new one starts on the same folder and index. */
  void restart() {
    engine.close();
    start();
  }

  /**
   * Entries of the index's synced tree whose folder the tree does not hold: the synced tree must
   * stay a tree whatever point a crash interrupts.
   */
  List<String> orphans() {
    if (!Files.exists(indexFile)) {
      return List.of();
    }
    List<String> orphans = new ArrayList<>();
    try (java.sql.Connection db =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + indexFile.toAbsolutePath());
        java.sql.Statement query = db.createStatement();
        java.sql.ResultSet rows =
            query.executeQuery(
                "SELECT s.id, s.parent_id, s.name FROM synced s WHERE s.parent_id NOT IN"
                    + " (SELECT id FROM synced) AND s.parent_id <>"
                    + " (SELECT value FROM meta WHERE key = 'root')")) {
      while (rows.next()) {
        orphans.add(
            rows.getString(3) + " (" + rows.getString(1) + " in " + rows.getString(2) + ")");
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return orphans;
  }

  void confirmDeletes() {
    SyncEngine.confirmDeletes(indexFile);
  }

  /**
   * What the folder holds: each file's content hash, each folder as "/", by relative path; the
   * engine's own temporary files are left out, as sync leaves them out.
   */
  Map<String, String> tree() {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        if (rel.endsWith(".coffer-part") || p.getFileName().toString().startsWith(".coffer")) {
          continue;
        }
        tree.put(
            rel,
            Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                ? "/"
                : LocalChunks.chunksOf(p, INLINE).contentHash());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tree;
  }

  List<String> files() {
    return paths(false);
  }

  List<String> folders() {
    return paths(true);
  }

  /** The files (or folders) in the folder, without reading them. */
  private List<String> paths(boolean folders) {
    List<String> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString();
        if (!p.equals(root)
            && !rel.endsWith(".coffer-part")
            && !p.getFileName().toString().startsWith(".coffer")
            && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) == folders) {
          paths.add(rel);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return paths;
  }

  /**
   * The user is about to overwrite or delete what is at {@code path} (a file, or a folder and all
   * in it): contents there that sync has not taken yet are the user's to lose, wherever the engine
   * had moved them.
   */
  void destroys(String path) {
    if (pending.isEmpty()) {
      return;
    }
    tree()
        .forEach(
            (p, content) -> {
              if (p.equals(path) || p.startsWith(path + "/")) {
                pending.remove(content);
              }
            });
  }

  @Override
  public void close() throws IOException {
    engine.close();
    fs.close();
  }
}
