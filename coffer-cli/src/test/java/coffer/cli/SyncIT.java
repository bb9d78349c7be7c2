package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.cli.Processes.Result;
import coffer.cli.Processes.Server;
import coffer.client.CofferClient;
import coffer.client.Session;
import coffer.core.api.LoginResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coffer sync} end to end: one real server, and two or three devices, each a real {@code
 * coffer sync} process with its own {@code $COFFER_HOME} and folder. Each test signs up a user of
 * its own, so tests share the server but nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncIT {

  private static final AtomicInteger USERS = new AtomicInteger();

  @TempDir static Path tmp;
  private Server server;

  @BeforeAll
  void startServer() throws Exception {
    server = Server.start(tmp.resolve("data"));
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  /** One device of one user: a home (session, index) and a synced folder. */
  record Device(String name, Path home, Path dir) {

    Result sync(String... extra) throws Exception {
      String[] args = new String[4 + extra.length];
      args[0] = "sync";
      args[1] = dir.toString();
      args[2] = "--once";
      args[3] = "--device=" + name;
      System.arraycopy(extra, 0, args, 4, extra.length);
      return Processes.cli(home, home, (String) null, args);
    }

    /** Syncs and fails unless it converged. */
    void synced() throws Exception {
      Result result = sync();
      assertThat(result.exit()).as(name + ": " + result.out() + result.err()).isZero();
    }

    Path file(String path) {
      return dir.resolve(path);
    }

    void write(String path, String content) throws IOException {
      Files.createDirectories(file(path).getParent());
      Files.writeString(file(path), content);
    }

    String read(String path) throws IOException {
      return Files.readString(file(path));
    }

    /** Every file under the folder with its content, by relative path. */
    Map<String, String> tree() throws IOException {
      Map<String, String> tree = new TreeMap<>();
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.filter(p -> !p.equals(dir)).toList()) {
          String rel = dir.relativize(p).toString();
          tree.put(
              rel, Files.isDirectory(p) ? "/" : Files.readString(p, StandardCharsets.ISO_8859_1));
        }
      }
      return tree;
    }
  }

  /** A new user with {@code names.length} devices, each signed in and with an empty folder. */
  private List<Device> devices(String... names) throws Exception {
    return devicesThrough(server.url(), names);
  }

  /** Like {@link #devices}, the devices reaching the server at {@code url} (a proxy, say). */
  private List<Device> devicesThrough(String url, String... names) throws Exception {
    String user = "sync" + USERS.incrementAndGet();
    CofferClient anonymous = new CofferClient(URI.create(server.url()), null);
    anonymous.signup(user, "hunter2hunter2");
    return Stream.of(names)
        .map(
            name -> {
              try {
                LoginResponse login = anonymous.login(user, "hunter2hunter2", name);
                Path home = Files.createDirectories(tmp.resolve(user).resolve(name + "-home"));
                new Session(url, user, login.token(), login.deviceId()).save(home);
                return new Device(name, home, tmp.resolve(user).resolve(name));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .toList();
  }

  private static void syncAll(Device... devices) throws Exception {
    for (Device d : devices) {
      d.synced();
    }
    for (Device d : devices) {
      d.synced(); // a second pass brings what later devices sent to earlier ones
    }
  }

  private static void assertSame(Device... devices) throws IOException {
    Map<String, String> first = devices[0].tree();
    for (Device d : devices) {
      assertThat(d.tree()).as(d.name()).isEqualTo(first);
    }
  }

  private static String conflictedCopyOf(Map<String, String> tree, String stem) {
    return tree.keySet().stream()
        .filter(p -> p.startsWith(stem + " (conflicted copy, "))
        .findFirst()
        .orElse(null);
  }

  @Nested
  class Changes_on_one_device_appear_on_the_others {

    @Test
    void create_edit_rename_move_and_delete_of_files_and_folders() throws Exception {
      List<Device> d = devices("a", "b", "c");
      Device a = d.get(0);
      Device b = d.get(1);
      Device c = d.get(2);
      a.write("docs/report.txt", "v1");
      a.write("docs/notes/todo.txt", "milk");
      a.write("top.txt", "top");
      syncAll(a, b, c);
      assertThat(c.read("docs/notes/todo.txt")).isEqualTo("milk");

      b.write("docs/report.txt", "v2");
      Files.move(b.file("top.txt"), b.file("renamed.txt"));
      Files.createDirectories(b.file("archive"));
      Files.move(b.file("docs/notes"), b.file("archive/notes"));
      syncAll(b, a, c);
      assertThat(a.read("docs/report.txt")).isEqualTo("v2");
      assertThat(a.read("archive/notes/todo.txt")).isEqualTo("milk");
      assertThat(a.file("top.txt")).doesNotExist();
      assertThat(c.read("renamed.txt")).isEqualTo("top");

      Files.delete(c.file("renamed.txt"));
      try (Stream<Path> walk = Files.walk(c.file("archive"))) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      syncAll(c, a, b);
      assertThat(a.file("renamed.txt")).doesNotExist();
      assertThat(b.file("archive")).doesNotExist();
      assertSame(a, b, c);
    }

    @Test
    void thousands_of_small_files_and_a_large_one_arrive_byte_for_byte() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      Random random = new Random(2000);
      Map<String, byte[]> written = new TreeMap<>();
      for (int i = 0; i < 2000; i++) {
        byte[] content = new byte[random.nextInt(16 * 1024)];
        random.nextBytes(content);
        String path = "many/d" + i % 20 + "/f" + i + ".bin";
        Files.createDirectories(a.file(path).getParent());
        Files.write(a.file(path), content);
        written.put(path, content);
      }
      byte[] block = new byte[1 << 20];
      try (var out = Files.newOutputStream(a.file("large.bin"))) {
        for (int i = 0; i < 200; i++) {
          random.nextBytes(block);
          out.write(block);
        }
      }
      a.synced();
      b.synced();
      for (Map.Entry<String, byte[]> e : written.entrySet()) {
        assertThat(Files.readAllBytes(b.file(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(Files.mismatch(a.file("large.bin"), b.file("large.bin"))).isEqualTo(-1);
    }

    @Test
    void an_edit_in_a_large_file_moves_only_the_changed_chunks_both_ways() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      byte[] big = new byte[24 << 20];
      new Random(24).nextBytes(big);
      Files.createDirectories(a.dir());
      Files.write(a.file("video.bin"), big);
      syncAll(a, b);
      big[12 << 20] ^= 1; // one byte, in the middle
      Files.write(a.file("video.bin"), big);
      Result up = a.sync();
      assertThat(up.out()).containsPattern("video.bin \\([12] of \\d+ chunks sent");
      Result down = b.sync();
      assertThat(down.out()).containsPattern("video.bin \\([12] of \\d+ chunks fetched");
      assertThat(Files.readAllBytes(b.file("video.bin"))).isEqualTo(big);
    }

    @Test
    void a_rename_is_one_move_on_the_server_and_sends_no_bytes_again() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      byte[] big = new byte[3 << 20];
      new Random(1).nextBytes(big);
      Files.createDirectories(a.dir());
      Files.write(a.file("big.bin"), big);
      a.synced();
      Files.move(a.file("big.bin"), a.file("renamed.bin"));
      Result rename = a.sync();
      assertThat(rename.out()).contains("→").doesNotContain("↑");
      d.get(1).synced();
      assertThat(Files.readAllBytes(d.get(1).file("renamed.bin"))).isEqualTo(big);
    }

    @Test
    void a_case_only_rename_and_nfd_names_sync_as_one_name() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      String nfd = Normalizer.normalize("café.txt", Normalizer.Form.NFD);
      a.write(nfd, "accents");
      a.write("readme.md", "r");
      syncAll(a, b);
      assertThat(b.read(Normalizer.normalize("café.txt", Normalizer.Form.NFC)))
          .isEqualTo("accents");
      Files.move(a.file("readme.md"), a.file("README.md"));
      syncAll(a, b);
      try (Stream<Path> list = Files.list(b.dir())) {
        assertThat(list.map(p -> p.getFileName().toString()))
            .contains("README.md")
            .doesNotContain("readme.md");
      }
      assertThat(a.sync().out()).doesNotContain("↑").doesNotContain("↓");
    }

    @Test
    void names_the_server_refuses_are_reported_and_never_dropped() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      a.write("ok.txt", "fine");
      a.write("bad:name.txt", "colon");
      a.write("CON", "reserved");
      syncAll(a, d.get(1));
      assertThat(d.get(1).file("ok.txt")).exists();
      assertThat(a.file("bad:name.txt")).exists();
      Result status =
          Processes.cli(a.home(), a.home(), (String) null, "status", a.dir().toString());
      assertThat(status.out()).contains("bad:name.txt").contains("CON").contains("cannot sync");
    }
  }

  @Nested
  class Concurrent_changes_keep_every_byte {

    @Test
    void edit_edit_keeps_both_the_remote_under_the_name_and_the_local_as_a_conflicted_copy()
        throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      a.write("doc.txt", "base");
      syncAll(a, b);
      a.write("doc.txt", "from a");
      b.write("doc.txt", "from b");
      a.synced();
      b.synced();
      a.synced();
      assertThat(b.read("doc.txt")).isEqualTo("from a");
      String copy = conflictedCopyOf(b.tree(), "doc");
      assertThat(copy).isNotNull().contains("b, ").endsWith(".txt");
      assertThat(b.read(copy)).isEqualTo("from b");
      assertSame(a, b);
      Result status =
          Processes.cli(b.home(), b.home(), (String) null, "status", b.dir().toString());
      assertThat(status.out()).contains("up to date").contains("conflict: doc.txt kept as " + copy);
    }

    @Test
    void edit_beats_delete_in_both_directions() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      a.write("one.txt", "1");
      a.write("two.txt", "2");
      syncAll(a, b);
      a.write("one.txt", "1 edited on a");
      Files.delete(b.file("one.txt"));
      Files.delete(a.file("two.txt"));
      b.write("two.txt", "2 edited on b");
      syncAll(a, b);
      assertThat(a.read("one.txt")).isEqualTo("1 edited on a");
      assertThat(a.read("two.txt")).isEqualTo("2 edited on b");
      assertSame(a, b);
    }

    @Test
    void a_folder_deleted_on_one_side_while_the_other_adds_to_it_is_kept_with_the_addition()
        throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      a.write("project/old.txt", "old");
      a.write("elsewhere.txt", "keeps the folder from being empty");
      syncAll(a, b);
      b.write("project/new.txt", "new on b");
      Files.delete(a.file("project/old.txt"));
      Files.delete(a.file("project"));
      a.synced();
      b.synced();
      a.synced();
      assertThat(a.read("project/new.txt")).isEqualTo("new on b");
      assertSame(a, b);
    }

    @Test
    void rename_on_one_side_and_edit_on_the_other_both_apply() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      a.write("draft.txt", "v1");
      syncAll(a, b);
      Files.move(a.file("draft.txt"), a.file("final.txt"));
      b.write("draft.txt", "v2");
      syncAll(a, b);
      assertThat(a.read("final.txt")).isEqualTo("v2");
      assertThat(a.file("draft.txt")).doesNotExist();
      assertSame(a, b);
    }

    @Test
    void moving_two_folders_into_each_other_on_two_devices_converges_without_a_cycle()
        throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      a.write("x/in-x.txt", "x");
      a.write("y/in-y.txt", "y");
      syncAll(a, b);
      Files.move(a.file("x"), a.file("y/x"));
      Files.move(b.file("y"), b.file("x/y"));
      syncAll(a, b);
      assertSame(a, b);
      assertThat(a.tree().entrySet().stream().filter(e -> e.getValue().equals("x")).count())
          .isEqualTo(1);
      assertThat(a.tree().entrySet().stream().filter(e -> e.getValue().equals("y")).count())
          .isEqualTo(1);
    }

    @Test
    void the_same_new_name_on_both_sides_keeps_both_files_or_one_when_identical() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      a.write("plan.txt", "a's plan");
      b.write("plan.txt", "b's plan");
      a.write("same.txt", "identical");
      b.write("same.txt", "identical");
      syncAll(a, b);
      Map<String, String> tree = a.tree();
      assertThat(tree.get("plan.txt")).isEqualTo("a's plan");
      assertThat(tree.get(conflictedCopyOf(tree, "plan"))).isEqualTo("b's plan");
      assertThat(conflictedCopyOf(tree, "same")).isNull();
      assertSame(a, b);
    }

    @Test
    void a_device_offline_while_both_sides_change_converges_when_it_returns() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      a.write("shared.txt", "base");
      a.write("a-only/keep.txt", "k");
      syncAll(a, b);
      // b is "offline": its client does not run while both sides change.
      a.write("from-a.txt", "a was busy");
      a.write("shared.txt", "a edited");
      b.write("from-b.txt", "b was busy");
      Files.delete(b.file("a-only/keep.txt"));
      syncAll(b, a);
      assertThat(a.read("from-b.txt")).isEqualTo("b was busy");
      assertThat(b.read("shared.txt")).isEqualTo("a edited");
      assertThat(a.file("a-only/keep.txt")).doesNotExist();
      assertSame(a, b);
    }
  }

  @Nested
  class Absence_is_not_deletion {

    private CofferClient api(Device device) throws IOException {
      return CofferClient.of(Session.load(device.home()).orElseThrow());
    }

    private int remoteFiles(Device device) throws IOException {
      return api(device).list("root").children().size();
    }

    @Test
    void a_missing_or_emptied_folder_pauses_sync_and_deletes_nothing() throws Exception {
      List<Device> d = devices("a");
      Device a = d.get(0);
      for (int i = 0; i < 5; i++) {
        a.write("f" + i + ".txt", "content " + i);
      }
      a.synced();
      Path away = a.dir().resolveSibling("moved-away");
      Files.move(a.dir(), away);
      Result missing = a.sync();
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err()).contains("missing").contains("paused");
      assertThat(remoteFiles(a)).isEqualTo(5);

      Files.createDirectories(a.dir());
      Result empty = a.sync();
      assertThat(empty.exit()).isEqualTo(1);
      assertThat(empty.err()).contains("empty").contains("paused");
      assertThat(remoteFiles(a)).isEqualTo(5);
    }

    @Test
    void a_lost_index_resyncs_without_deleting_or_duplicating_anything() throws Exception {
      List<Device> d = devices("a");
      Device a = d.get(0);
      a.write("keep/one.txt", "1");
      a.write("two.txt", "2");
      a.synced();
      try (Stream<Path> files = Files.list(a.home().resolve("sync"))) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(a.file("two.txt"));
      a.synced();
      // Without the index there is no evidence of a delete: the file comes back, nothing doubles.
      assertThat(a.read("two.txt")).isEqualTo("2");
      assertThat(a.tree()).containsOnlyKeys("keep", "keep/one.txt", "two.txt");
      assertThat(remoteFiles(a)).isEqualTo(2);
    }

    @Test
    void a_server_that_forgot_this_devices_position_and_lost_a_file_gets_it_back()
        throws Exception {
      List<Device> d = devices("a");
      Device a = d.get(0);
      a.write("kept.txt", "on both");
      a.write("lost.txt", "the server will lose this");
      a.synced();
      // As after a restore from an older backup: the file is gone on the server with no journal
      // entry this device could read, and the device's cursor means nothing to the server.
      CofferClient server = api(a);
      String lost = server.lookup("/lost.txt").id();
      server.delete(lost);
      server.purge(lost);
      Path index;
      try (Stream<Path> files = Files.list(a.home().resolve("sync"))) {
        index = files.filter(f -> f.toString().endsWith(".db")).findFirst().orElseThrow();
      }
      try (coffer.client.sync.SyncIndex opened = coffer.client.sync.SyncIndex.open(index)) {
        opened.setMeta("cursor", "not-a-cursor-the-server-knows");
      }

      Result result = a.sync();

      assertThat(result.exit()).as(result.out() + result.err()).isZero();
      assertThat(result.out()).contains("starting over");
      assertThat(a.read("lost.txt")).isEqualTo("the server will lose this");
      assertThat(server.lookup("/lost.txt").id()).isNotBlank();
      assertThat(remoteFiles(a)).isEqualTo(2);
    }

    @Test
    void a_server_restored_from_an_older_backup_makes_no_device_lose_a_file() throws Exception {
      int port;
      try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      Path data = tmp.resolve("restore-server");
      Path backup = tmp.resolve("restore-backup");
      Server own = Server.start(data, "--port", String.valueOf(port));
      try {
        String user = "restore" + USERS.incrementAndGet();
        CofferClient anonymous = new CofferClient(URI.create(own.url()), null);
        anonymous.signup(user, "hunter2hunter2");
        LoginResponse login = anonymous.login(user, "hunter2hunter2", "a");
        Path home = Files.createDirectories(tmp.resolve(user).resolve("a-home"));
        new Session(own.url(), user, login.token(), login.deviceId()).save(home);
        Device a = new Device("a", home, Files.createDirectories(tmp.resolve(user).resolve("a")));
        a.write("kept.txt", "in the backup");
        a.write("edited.txt", "as backed up");
        a.write("removed.txt", "deleted on the device after the backup");
        a.synced();

        Result backedUp =
            Processes.cli(home, home, (String) null, "admin", "backup", backup.toString());
        assertThat(backedUp.exit()).as(backedUp.out() + backedUp.err()).isZero();
        assertThat(backedUp.out()).contains("Backed up to " + backup);

        a.write("new.txt", "written after the backup");
        a.write("edited.txt", "edited after the backup");
        Files.delete(a.file("removed.txt"));
        a.synced();

        // Restore as docs/OPERATIONS.md says: stop, put the backup in place of the data, start.
        own.close();
        Files.move(data, tmp.resolve("restore-server.broken"));
        copyTree(backup, data);
        own = Server.start(data, "--port", String.valueOf(port));

        Result result = a.sync();

        assertThat(result.exit()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("starting over");
        Map<String, String> tree = a.tree();
        assertThat(tree)
            .containsEntry("kept.txt", "in the backup")
            .containsEntry("new.txt", "written after the backup")
            // Deleted after the backup: the server still has it, so it comes back (never lost).
            .containsEntry("removed.txt", "deleted on the device after the backup")
            // Both sides changed it: the server's keeps the name, the device's edit is beside it.
            .containsEntry("edited.txt", "as backed up");
        assertThat(tree)
            .hasEntrySatisfying(
                tree.keySet().stream()
                    .filter(k -> k.startsWith("edited (conflicted copy, a, "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no conflicted copy in " + tree)),
                v -> assertThat(v).isEqualTo("edited after the backup"));
        CofferClient api = new CofferClient(URI.create(own.url()), login.token());
        assertThat(
                new String(Crashes_and_daemons.download(api, "/new.txt"), StandardCharsets.UTF_8))
            .isEqualTo("written after the backup");
        assertThat(a.sync().exit()).isZero();
        assertThat(a.tree()).isEqualTo(tree);
      } finally {
        own.close();
      }
    }

    private static void copyTree(Path from, Path to) throws IOException {
      try (Stream<Path> walk = Files.walk(from)) {
        for (Path p : walk.toList()) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        }
      }
    }

    @Test
    void a_full_disk_pauses_sync_with_the_reason_and_deletes_nothing() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      a.write("small.txt", "small");
      byte[] big = new byte[6 << 20];
      new Random(7).nextBytes(big);
      Files.write(a.file("big.bin"), big);
      a.synced();
      Files.createDirectories(b.dir());

      // B's folder is a 2 MiB file system of its own: the 6 MiB file cannot fit.
      Result full =
          Processes.cliOnSmallDisk(
              b.dir(), 2 << 20, b.home(), "sync", b.dir().toString(), "--once", "--device=b");
      assertThat(full.exit()).as(full.out() + full.err()).isEqualTo(1);
      assertThat(full.err()).contains("No space left on device").contains("paused");
      assertThat(remoteFiles(a)).isEqualTo(2);

      // The small disk is gone with its process: B's folder is empty again, as an unmounted one
      // would be, and that pauses sync too rather than deleting what B had.
      Result unmounted = b.sync();
      assertThat(unmounted.exit()).isEqualTo(1);
      assertThat(unmounted.err()).contains("paused");
      assertThat(remoteFiles(a)).isEqualTo(2);
      a.synced();
      assertThat(Files.readAllBytes(a.file("big.bin"))).isEqualTo(big);
      assertThat(remoteFiles(a)).isEqualTo(2);
    }

    @Test
    void an_unreadable_subfolder_keeps_its_files_on_the_server() throws Exception {
      Device a = devices("a").getFirst();
      a.write("locked/one.txt", "1");
      a.write("locked/two.txt", "2");
      a.write("open.txt", "o");
      a.synced();
      // Root reads everything; the sync runs as an unprivileged user to whom the folder is shut.
      Files.setPosixFilePermissions(
          tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
      for (Path p : List.of(a.home(), a.dir(), a.home().getParent(), a.dir().getParent())) {
        try (Stream<Path> all = Files.walk(p)) {
          for (Path each : all.toList()) {
            Files.setAttribute(each, "unix:uid", 65534);
            Files.setAttribute(each, "unix:gid", 65534);
          }
        }
      }
      Files.setPosixFilePermissions(a.file("locked"), java.util.Set.of());
      Result shut =
          Processes.cliAs(65534, a.home(), "sync", a.dir().toString(), "--once", "--device=a");
      assertThat(shut.exit()).as(shut.out() + shut.err()).isZero();
      assertThat(shut.out() + shut.err()).doesNotContain("✗");
      CofferClient api = api(a);
      assertThat(api.list(api.lookup("/locked").id()).children()).hasSize(2);
      Result status =
          Processes.cli(a.home(), a.home(), (String) null, "status", a.dir().toString());
      assertThat(status.out()).contains("locked").contains("cannot be read");
    }

    @Test
    void deleting_many_files_at_once_waits_for_confirmation() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      for (int i = 0; i < 30; i++) {
        a.write("bulk/f" + i + ".txt", "x" + i);
      }
      a.write("stay.txt", "stay");
      syncAll(a, d.get(1));
      for (int i = 0; i < 30; i++) {
        Files.delete(a.file("bulk/f" + i + ".txt"));
      }
      Result held = a.sync();
      assertThat(held.exit()).isEqualTo(1);
      assertThat(held.err()).contains("--confirm-deletes");
      d.get(1).synced();
      assertThat(d.get(1).file("bulk/f0.txt")).exists();

      assertThat(a.sync("--confirm-deletes").exit()).isZero();
      d.get(1).synced();
      assertThat(d.get(1).file("bulk/f0.txt")).doesNotExist();
      assertThat(d.get(1).file("stay.txt")).exists();
    }
  }

  @Nested
  class Shared_folders {

    private CofferClient api(Device device) throws IOException {
      return CofferClient.of(Session.load(device.home()).orElseThrow());
    }

    private String user(Device device) throws IOException {
      return Session.load(device.home()).orElseThrow().username();
    }

    /** Alice's device with a synced Docs folder, shared with Bob's device as {@code role}. */
    private Device[] aliceSharesDocsWithBob(String role) throws Exception {
      Device alice = devices("alice-laptop").getFirst();
      Device bob = devices("bob-desk").getFirst();
      alice.write("Docs/a.txt", "alpha");
      alice.write("Docs/sub/b.txt", "beta");
      alice.write("private.txt", "mine");
      alice.synced();
      CofferClient owner = api(alice);
      owner.share(owner.lookup("/Docs").id(), List.of(user(bob)), role);
      bob.write("bobs-own.txt", "bob");
      bob.synced();
      return new Device[] {alice, bob};
    }

    private static Map<String, String> under(Device device, String folder) throws IOException {
      Map<String, String> inside = new TreeMap<>();
      device
          .tree()
          .forEach(
              (path, content) -> {
                if (path.startsWith(folder + "/")) {
                  inside.put(path, content);
                }
              });
      return inside;
    }

    @Test
    void edits_on_either_side_of_an_editor_share_converge() throws Exception {
      Device[] both = aliceSharesDocsWithBob("editor");
      Device alice = both[0];
      Device bob = both[1];
      assertThat(bob.read("Docs/a.txt")).isEqualTo("alpha");
      assertThat(bob.read("Docs/sub/b.txt")).isEqualTo("beta");
      assertThat(bob.tree()).doesNotContainKey("private.txt");

      bob.write("Docs/a.txt", "alpha by bob");
      bob.write("Docs/c.txt", "gamma");
      Files.move(bob.file("Docs/sub/b.txt"), bob.file("Docs/sub/b2.txt"));
      Files.move(bob.file("bobs-own.txt"), bob.file("Docs/moved-in.txt"));
      bob.synced();
      alice.synced();
      assertThat(alice.read("Docs/a.txt")).isEqualTo("alpha by bob");
      assertThat(alice.read("Docs/c.txt")).isEqualTo("gamma");
      assertThat(alice.read("Docs/sub/b2.txt")).isEqualTo("beta");
      assertThat(alice.read("Docs/moved-in.txt")).isEqualTo("bob");

      alice.write("Docs/sub/b2.txt", "beta by alice");
      Files.delete(alice.file("Docs/c.txt"));
      alice.write("Docs/new/d.txt", "delta");
      alice.synced();
      bob.synced();
      assertThat(under(bob, "Docs")).isEqualTo(under(alice, "Docs"));
      assertThat(bob.read("Docs/sub/b2.txt")).isEqualTo("beta by alice");
      assertThat(bob.tree()).doesNotContainKey("Docs/c.txt");
      assertThat(alice.tree()).doesNotContainKey("bobs-own.txt");
    }

    @Test
    void a_viewers_local_changes_are_kept_outside_the_share_and_never_reach_the_owner()
        throws Exception {
      Device[] both = aliceSharesDocsWithBob("viewer");
      Device alice = both[0];
      Device bob = both[1];
      Map<String, String> aliceDocs = under(alice, "Docs");

      bob.write("Docs/a.txt", "bob's edit");
      bob.write("Docs/new.txt", "bob's new file");
      Files.delete(bob.file("Docs/sub/b.txt"));
      bob.synced();

      // The shared folder is as the owner has it; Bob's changes are beside it, and on the server.
      assertThat(under(bob, "Docs")).isEqualTo(aliceDocs);
      Map<String, String> tree = bob.tree();
      assertThat(tree.get(conflictedCopyOf(tree, "a"))).isEqualTo("bob's edit");
      assertThat(tree.get(conflictedCopyOf(tree, "new"))).isEqualTo("bob's new file");
      CofferClient bobs = api(bob);
      assertThat(bobs.list("root").children().stream().map(f -> f.name()))
          .anyMatch(n -> n.startsWith("a (conflicted copy, "))
          .anyMatch(n -> n.startsWith("new (conflicted copy, "));
      alice.synced();
      assertThat(under(alice, "Docs")).isEqualTo(aliceDocs);
      Result status =
          Processes.cli(bob.home(), bob.home(), (String) null, "status", bob.dir().toString());
      assertThat(status.out()).contains("conflicted copy");

      // The owner's own changes reach the viewer as they are: never as the viewer's copies.
      long copies = bob.tree().keySet().stream().filter(k -> k.contains("conflicted copy")).count();
      alice.write("Docs/a.txt", "alpha, second edition");
      Files.move(alice.file("Docs/sub/b.txt"), alice.file("Docs/sub/b-renamed.txt"));
      alice.synced();
      bob.synced();
      assertThat(under(bob, "Docs")).isEqualTo(under(alice, "Docs"));
      assertThat(bob.tree().keySet().stream().filter(k -> k.contains("conflicted copy")).count())
          .isEqualTo(copies);
    }

    @Test
    void after_revocation_the_members_device_removes_the_folder_and_the_owner_keeps_it()
        throws Exception {
      Device[] both = aliceSharesDocsWithBob("editor");
      Device alice = both[0];
      Device bob = both[1];
      assertThat(bob.tree()).containsKey("Docs/a.txt");
      Map<String, String> aliceBefore = alice.tree();

      CofferClient owner = api(alice);
      owner.unshare(owner.lookup("/Docs").id(), user(bob));
      bob.synced();
      assertThat(bob.tree()).containsOnlyKeys("bobs-own.txt");
      alice.synced();
      assertThat(alice.tree()).isEqualTo(aliceBefore);
    }
  }

  @Nested
  class Crashes_and_daemons {

    @Test
    void a_client_killed_at_random_moments_converges_and_never_shows_a_partial_file()
        throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      Random random = new Random(20);
      Map<String, byte[]> expected = new TreeMap<>();
      for (int i = 0; i < 60; i++) {
        byte[] content = new byte[i % 10 == 0 ? (2 << 20) + random.nextInt(1 << 20) : 100 + i];
        random.nextBytes(content);
        String path = "dir" + (i % 4) + "/file" + i + ".bin";
        Files.createDirectories(a.file(path).getParent());
        Files.write(a.file(path), content);
        expected.put(path, content);
      }
      a.synced();
      for (int kill = 0; kill < 20; kill++) {
        Process daemon =
            new ProcessBuilder(Processes.java("sync", b.dir().toString(), "--device=b"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .directory(b.home().toFile())
                .start();
        daemon.info(); // started
        LockSupport.parkNanos(Duration.ofMillis(300 + random.nextInt(900)).toNanos());
        daemon.destroyForcibly(); // SIGKILL
        daemon.waitFor(30, TimeUnit.SECONDS);
        assertNoPartialFiles(b, expected);
      }
      b.synced();
      for (Map.Entry<String, byte[]> e : expected.entrySet()) {
        assertThat(Files.readAllBytes(b.file(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
      }
    }

    /** {@code coffer sync DIR} running as a daemon for {@code device}. */
    private Process daemon(Device device, ProcessBuilder.Redirect output) throws IOException {
      ProcessBuilder builder =
          new ProcessBuilder(
                  Processes.java("sync", device.dir().toString(), "--device=" + device.name()))
              .redirectErrorStream(true)
              .redirectOutput(output)
              .directory(device.home().toFile());
      builder.environment().put("COFFER_HOME", device.home().toString());
      builder.environment().remove("COFFER_SERVER");
      return builder.start();
    }

    private void assertNoPartialFiles(Device b, Map<String, byte[]> expected) throws IOException {
      if (!Files.exists(b.dir())) {
        return;
      }
      try (Stream<Path> walk = Files.walk(b.dir())) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          String rel = b.dir().relativize(p).toString();
          if (rel.endsWith(".coffer-part")) {
            continue; // a download in flight, under a hidden temporary name
          }
          assertThat(expected).containsKey(rel);
          assertThat(Files.readAllBytes(p)).as(rel).isEqualTo(expected.get(rel));
        }
      }
    }

    @Test
    void two_running_daemons_carry_a_new_file_across_in_moments() throws Exception {
      List<Device> d = devices("a", "b");
      Device a = d.get(0);
      Device b = d.get(1);
      Files.createDirectories(a.dir());
      Files.createDirectories(b.dir());
      List<Process> daemons = new java.util.ArrayList<>();
      try {
        for (Device device : d) {
          daemons.add(
              daemon(
                  device,
                  ProcessBuilder.Redirect.to(device.home().resolve("daemon.log").toFile())));
        }
        awaitFile(b, "ready.txt", a, "hello", Duration.ofSeconds(30)); // both are up
        a.write("note.txt", "from a, live");
        awaitFile(b, "note.txt", null, "from a, live", Duration.ofSeconds(20));
        b.write("reply.txt", "from b, live");
        awaitFile(a, "reply.txt", null, "from b, live", Duration.ofSeconds(20));
      } finally {
        daemons.forEach(Process::destroy);
        for (Process p : daemons) {
          p.waitFor(30, TimeUnit.SECONDS);
        }
      }
    }

    @Test
    void a_running_daemon_holds_its_folder_and_takes_a_delete_confirmation_from_another_terminal()
        throws Exception {
      Device a = devices("a").getFirst();
      for (int i = 0; i < 30; i++) {
        a.write("bulk/f" + i + ".txt", "x" + i);
      }
      a.write("stay.txt", "stay");
      a.synced();
      CofferClient api = CofferClient.of(Session.load(a.home()).orElseThrow());
      Path log = a.home().resolve("daemon.log");
      Process daemon = daemon(a, ProcessBuilder.Redirect.to(log.toFile()));
      try {
        awaitLog(log, "Syncing");
        Result second = a.sync();
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.err()).contains("already running");

        for (int i = 0; i < 30; i++) {
          Files.delete(a.file("bulk/f" + i + ".txt"));
        }
        awaitLog(log, "--confirm-deletes");
        assertThat(api.list(api.lookup("/bulk").id()).children()).hasSize(30);

        Result confirm = a.sync("--confirm-deletes");
        assertThat(confirm.exit()).as(confirm.err()).isZero();
        assertThat(confirm.out()).contains("goes ahead");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!api.list(api.lookup("/bulk").id()).children().isEmpty()) {
          assertThat(Instant.now()).as(Files.readString(log)).isBefore(deadline);
          LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        assertThat(api.lookup("/stay.txt").name()).isEqualTo("stay.txt");
      } finally {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
      }
    }

    private static void awaitLog(Path log, String text) throws Exception {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (!Files.exists(log) || !Files.readString(log).contains(text)) {
        assertThat(Instant.now())
            .as("'" + text + "' in " + (Files.exists(log) ? Files.readString(log) : "no log"))
            .isBefore(deadline);
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
    }

    @Test
    void changes_made_while_the_server_is_down_wait_and_sync_when_it_returns() throws Exception {
      int port;
      try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      Path data = tmp.resolve("offline-server");
      Server own = Server.start(data, "--port", String.valueOf(port));
      String user = "offline" + USERS.incrementAndGet();
      CofferClient anonymous = new CofferClient(URI.create(own.url()), null);
      anonymous.signup(user, "hunter2hunter2");
      LoginResponse login = anonymous.login(user, "hunter2hunter2", "a");
      Path home = Files.createDirectories(tmp.resolve(user).resolve("a-home"));
      new Session(own.url(), user, login.token(), login.deviceId()).save(home);
      Device a = new Device("a", home, Files.createDirectories(tmp.resolve(user).resolve("a")));
      CofferClient api = new CofferClient(URI.create(own.url()), login.token());
      Process daemon = daemon(a, ProcessBuilder.Redirect.to(home.resolve("daemon.log").toFile()));
      try {
        a.write("before.txt", "online");
        awaitServer(api, "/before.txt", Duration.ofSeconds(30));
        own.kill();

        a.write("during.txt", "written while the server was down");
        a.write("before.txt", "edited while the server was down");
        LockSupport.parkNanos(Duration.ofSeconds(3).toNanos()); // the daemon fails and backs off
        assertThat(daemon.isAlive()).isTrue();

        own = Server.start(data, "--port", String.valueOf(port));
        awaitServer(api, "/during.txt", Duration.ofSeconds(90));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!new String(download(api, "/before.txt"), StandardCharsets.UTF_8)
            .equals("edited while the server was down")) {
          assertThat(Instant.now()).as("the edit made offline arrives").isBefore(deadline);
          LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "\ndaemon log:\n" + Files.readString(home.resolve("daemon.log")), e);
      } finally {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
        own.close();
      }
    }

    private static byte[] download(CofferClient api, String path) throws IOException {
      Path out = Files.createTempFile(tmp, "dl", ".bin");
      api.download(api.lookup(path), out, coffer.client.Progress.NONE);
      return Files.readAllBytes(out);
    }

    private static void awaitServer(CofferClient api, String path, Duration within) {
      Instant deadline = Instant.now().plus(within);
      while (true) {
        try {
          api.lookup(path);
          return;
        } catch (RuntimeException notYet) {
          if (Instant.now().isAfter(deadline)) {
            throw new AssertionError(path + " did not reach the server within " + within, notYet);
          }
          LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
      }
    }

    /** Writes (if {@code writer}) then waits until {@code reader} holds the file. */
    private void awaitFile(
        Device reader, String path, Device writer, String content, Duration within)
        throws Exception {
      Instant deadline = Instant.now().plus(within);
      while (true) {
        if (writer != null && !Files.exists(writer.file(path))) {
          writer.write(path, content);
        }
        if (Files.exists(reader.file(path)) && reader.read(path).equals(content)) {
          return;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError(
              path
                  + " did not reach "
                  + reader.name()
                  + " within "
                  + within
                  + "; logs: "
                  + Files.readString(reader.home().resolveSibling("a-home").resolve("daemon.log"))
                  + " | "
                  + Files.readString(reader.home().resolveSibling("b-home").resolve("daemon.log")));
        }
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
    }
  }

  @Nested
  class A_bad_network {

    /**
     * Through a proxy that adds latency, limits bandwidth, resets a third of the connections after
     * a random number of bytes (cutting requests and answers short) and stalls now and then, a
     * folder of small files and two multi-chunk files goes from one device to another: sync runs
     * again after each failed try, as the daemon would, and every file arrives whole.
     */
    @Test
    void uploads_and_downloads_complete_through_resets_truncations_and_stalls() throws Exception {
      int port = URI.create(server.url()).getPort();
      FaultProxy.Faults faults =
          new FaultProxy.Faults(
              Duration.ofMillis(2), 40L << 20, 0.33, 2 << 20, 0.01, Duration.ofSeconds(1));
      try (FaultProxy proxy = new FaultProxy(port, faults, 20261202)) {
        List<Device> d = devicesThrough(proxy.url(), "a", "b");
        Device a = d.get(0);
        Device b = d.get(1);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 40; i++) {
          a.write("small/" + i + ".txt", "small file " + i + " " + random.nextLong());
        }
        byte[] big = new byte[9 << 20];
        random.nextBytes(big);
        Files.createDirectories(a.file("big"));
        Files.write(a.file("big/one.bin"), big);
        random.nextBytes(big);
        Files.write(a.file("big/two.bin"), java.util.Arrays.copyOf(big, 5 << 20));
        Map<String, String> expected = a.tree();

        int triesA = untilConverged(a);
        int triesB = untilConverged(b);
        assertThat(b.tree()).isEqualTo(expected);
        assertThat(a.tree()).isEqualTo(expected);
        System.out.printf(
            "bad network: %d connections, %d reset, %d stalled; a converged after %d tries, b"
                + " after %d%n",
            proxy.connections(), proxy.resets(), proxy.stalls(), triesA, triesB);
        assertThat(proxy.resets())
            .as("connections: %d, tries: a %d, b %d", proxy.connections(), triesA, triesB)
            .isPositive();
        for (Path p : List.of(a.dir(), b.dir())) {
          try (Stream<Path> walk = Files.walk(p)) {
            assertThat(walk.map(Path::toString)).noneMatch(n -> n.endsWith(".coffer-part"));
          }
        }
      }
    }

    private int untilConverged(Device device) throws Exception {
      Result last = null;
      for (int tries = 1; tries <= 25; tries++) {
        last = device.sync();
        if (last.exit() == 0) {
          return tries;
        }
      }
      throw new AssertionError(device.name() + " never converged: " + last.out() + last.err());
    }
  }
}
