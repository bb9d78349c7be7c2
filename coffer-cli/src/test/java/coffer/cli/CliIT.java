package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.cli.Processes.Result;
import coffer.cli.Processes.Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code coffer} command against a real server process. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

  @TempDir static Path tmp;
  private Server server;
  private Path home;
  private Path work;

  @BeforeAll
  void startServerAndSignIn() throws Exception {
    server = Server.start(tmp.resolve("data"));
    home = Files.createDirectories(tmp.resolve("home"));
    work = Files.createDirectories(tmp.resolve("work"));
    assertThat(
            runWithInput(
                    "hunter2hunter2\n",
                    "signup",
                    "--server",
                    server.url(),
                    "--user",
                    "alice",
                    "--password-stdin")
                .exit())
        .isZero();
    Result login =
        runWithInput(
            "hunter2hunter2\n",
            "login",
            "--server",
            server.url(),
            "--user",
            "alice",
            "--password-stdin");
    assertThat(login.exit()).isZero();
    assertThat(login.out()).contains("Signed in");
  }

  @AfterAll
  void stopServer() throws Exception {
    server.close();
  }

  private Result runWithInput(String stdin, String... args) throws Exception {
    return Processes.cli(home, work, stdin, args);
  }

  private Result run(String... args) throws Exception {
    return runWithInput(null, args);
  }

  @Nested
  class Files_round_trip {
    @Test
    void put_then_get_returns_identical_bytes() throws Exception {
      byte[] data = new byte[3 * 1024 * 1024 + 17];
      new Random(1).nextBytes(data);
      Path local = work.resolve("photo.jpg");
      Files.write(local, data);

      Result put = run("put", "photo.jpg", "/Pictures/");
      assertThat(put.exit()).as(put.err()).isZero();
      assertThat(put.out()).contains("/Pictures/photo.jpg");

      Result get = run("get", "/Pictures/photo.jpg", "copy.jpg");
      assertThat(get.exit()).as(get.err()).isZero();
      assertThat(Files.readAllBytes(work.resolve("copy.jpg"))).isEqualTo(data);
    }

    @Test
    void ls_mkdir_mv_and_rm_change_the_tree() throws Exception {
      Files.writeString(work.resolve("notes.txt"), "hello");
      assertThat(run("mkdir", "-p", "/Work/2026").exit()).isZero();
      assertThat(run("put", "notes.txt", "/Work/2026/notes.txt").exit()).isZero();
      assertThat(run("ls", "/Work/2026").out()).contains("notes.txt");

      assertThat(run("mv", "/Work/2026/notes.txt", "/Work/renamed.txt").exit()).isZero();
      assertThat(run("ls", "/Work").out()).contains("renamed.txt").contains("2026/");
      assertThat(run("ls", "/Work/2026").out()).doesNotContain("notes.txt");

      assertThat(run("rm", "/Work").exit()).isZero();
      Result gone = run("ls", "/Work");
      assertThat(gone.exit()).isEqualTo(1);
      assertThat(gone.err()).contains("Nothing at /Work");
    }
  }

  @Nested
  class Versions {
    @Test
    void versions_lists_every_version_and_restore_brings_one_back() throws Exception {
      Path local = work.resolve("draft.txt");
      Files.writeString(local, "first");
      assertThat(run("put", "-q", "draft.txt", "/draft.txt").exit()).isZero();
      Files.writeString(local, "second");
      assertThat(run("put", "-q", "draft.txt", "/draft.txt").exit()).isZero();

      Result versions = run("versions", "/draft.txt");
      assertThat(versions.exit()).as(versions.err()).isZero();
      assertThat(versions.out().lines()).hasSize(2);
      assertThat(versions.out().lines().findFirst().orElseThrow()).contains("(current)");

      Result restore = run("restore", "/draft.txt", "--version", "2");
      assertThat(restore.exit()).as(restore.err()).isZero();
      assertThat(run("get", "-q", "/draft.txt", "back.txt").exit()).isZero();
      assertThat(Files.readString(work.resolve("back.txt"))).isEqualTo("first");
      assertThat(run("versions", "/draft.txt").out().lines()).hasSize(3);

      Result wrong = run("restore", "/draft.txt", "--version", "9");
      assertThat(wrong.exit()).isEqualTo(1);
      assertThat(wrong.err()).contains("has versions 1 to 3");
    }
  }

  @Nested
  class Trash {
    @Test
    void a_deleted_file_is_listed_restored_and_purged() throws Exception {
      Files.writeString(work.resolve("keep.txt"), "keep me");
      assertThat(run("put", "-q", "keep.txt", "/keep.txt").exit()).isZero();
      assertThat(run("rm", "/keep.txt").exit()).isZero();
      assertThat(run("trash").out()).contains("/keep.txt");

      Result restore = run("trash", "restore", "/keep.txt");
      assertThat(restore.exit()).as(restore.err()).isZero();
      assertThat(run("get", "-q", "/keep.txt", "kept.txt").exit()).isZero();
      assertThat(Files.readString(work.resolve("kept.txt"))).isEqualTo("keep me");

      assertThat(run("rm", "/keep.txt").exit()).isZero();
      assertThat(run("trash", "purge", "/keep.txt").exit()).isZero();
      assertThat(run("trash").out()).doesNotContain("/keep.txt");
      Result gone = run("trash", "restore", "/keep.txt");
      assertThat(gone.exit()).isEqualTo(1);
      assertThat(gone.err()).contains("nothing in the trash was at /keep.txt");
    }
  }

  @Nested
  class Links {
    @Test
    void a_link_downloads_without_an_account_until_it_is_revoked() throws Exception {
      Files.writeString(work.resolve("public.txt"), "for everyone");
      assertThat(run("put", "-q", "public.txt", "/public.txt").exit()).isZero();

      Result made = run("link", "/public.txt", "--expires", "7d");
      assertThat(made.exit()).as(made.err()).isZero();
      String url = made.out().strip();
      assertThat(url).startsWith(server.url() + "/api/v1/links/");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> download =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/content")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEqualTo("for everyone");

      Result guarded = runWithInput("let me in\n", "link", "/public.txt", "--password-stdin");
      assertThat(guarded.exit()).as(guarded.err()).isZero();

      Result listed = run("link", "--list", "/public.txt");
      assertThat(listed.exit()).as(listed.err()).isZero();
      assertThat(listed.out().lines()).hasSize(2);
      assertThat(listed.out()).contains("expires").contains("no password").contains("password");
      assertThat(listed.out()).doesNotContain(url.substring(url.lastIndexOf('/') + 1));
      String oldest = listed.out().lines().reduce((a, b) -> b).orElseThrow().split(" ")[0];

      assertThat(run("link", "--revoke", oldest).exit()).isZero();
      HttpResponse<String> gone =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(run("link", "--list", "/public.txt").out().lines()).hasSize(1);
      assertThat(run("link", "--revoke", oldest, "/public.txt").exit()).isEqualTo(2);
      assertThat(run("link", "/public.txt", "--expires", "soon").exit()).isEqualTo(2);
    }
  }

  @Nested
  class Sharing {
    @Test
    void share_shares_and_unshare_manage_who_has_a_folder() throws Exception {
      Path bobHome = Files.createDirectories(tmp.resolve("bob-home"));
      for (String command : new String[] {"signup", "login"}) {
        Result bob =
            Processes.cli(
                bobHome,
                work,
                "hunter2hunter2\n",
                command,
                "--server",
                server.url(),
                "--user",
                "bob",
                "--password-stdin");
        assertThat(bob.exit()).as(bob.err()).isZero();
      }
      assertThat(run("mkdir", "/Team").exit()).isZero();
      Files.writeString(work.resolve("plan.txt"), "the plan");
      assertThat(run("put", work.resolve("plan.txt").toString(), "/Team/plan.txt").exit()).isZero();

      assertThat(run("share", "/Team", "--with", "bob").exit()).isZero(); // viewer by default
      Files.writeString(work.resolve("bobs.txt"), "bob's");
      Result refused =
          Processes.cli(
              bobHome, work, (String) null, "put", work.resolve("bobs.txt").toString(), "/Team/");
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).contains("can view").contains("not change");

      Result shared = run("share", "/Team", "--with", "bob", "--role", "editor");
      assertThat(shared.exit()).as(shared.err()).isZero();
      assertThat(shared.out()).contains("bob").contains("editor");
      assertThat(run("shares", "/Team").out()).contains("alice").contains("owner").contains("bob");

      Result bobs = Processes.cli(bobHome, work, (String) null, "shares");
      assertThat(bobs.out()).contains("from alice").contains("/Team").contains("editor");
      Result bobLs = Processes.cli(bobHome, work, (String) null, "ls", "/Team");
      assertThat(bobLs.out()).contains("plan.txt");

      assertThat(run("share", "/Team", "--with", "bob", "--role", "owner").exit()).isEqualTo(1);
      assertThat(run("unshare", "/Team", "--with", "bob").exit()).isZero();
      assertThat(Processes.cli(bobHome, work, (String) null, "shares").out())
          .contains("Nothing is shared with you");
      Result gone = Processes.cli(bobHome, work, (String) null, "ls", "/Team");
      assertThat(gone.exit()).isEqualTo(1);
    }
  }

  @Nested
  class Admin {
    @Test
    void the_admin_creates_an_account_lists_accounts_and_signs_a_device_out() throws Exception {
      Result created =
          runWithInput("bob-password-1\n", "admin", "create-user", "bob-admin", "--password-stdin");
      assertThat(created.exit()).as(created.err()).isZero();
      assertThat(created.out()).contains("Created bob-admin");
      Path bobHome = Files.createDirectories(tmp.resolve("bob-admin-home"));
      Result login =
          Processes.cli(
              bobHome,
              work,
              "bob-password-1\n",
              "login",
              "--server",
              server.url(),
              "--user",
              "bob-admin",
              "--password-stdin");
      assertThat(login.exit()).as(login.err()).isZero();

      Result users = run("admin", "users");
      assertThat(users.out()).containsPattern("alice +\\(admin\\)").contains("bob-admin");
      Result refused = Processes.cli(bobHome, work, (String) null, "admin", "users");
      assertThat(refused.exit()).isNotZero();
      assertThat(refused.err()).contains("Only an admin");

      // A quota: set, shown, enforced on bob's next put, and removed.
      Result quota = run("admin", "quota", "bob-admin", "1M");
      assertThat(quota.exit()).as(quota.err()).isZero();
      assertThat(quota.out()).contains("bob-admin uses 0 B of 1.0 MiB");
      Path big = Files.write(tmp.resolve("two-mib.bin"), new byte[2 << 20]);
      Result over =
          Processes.cli(bobHome, work, (String) null, "put", "-q", big.toString(), "/big.bin");
      assertThat(over.exit()).isEqualTo(1);
      assertThat(over.err()).contains("quota");
      assertThat(run("admin", "quota", "bob-admin", "lots").exit()).isEqualTo(2);
      assertThat(run("admin", "quota", "bob-admin", "none").out()).contains("no quota");
      Result fits =
          Processes.cli(bobHome, work, (String) null, "put", "-q", big.toString(), "/big.bin");
      assertThat(fits.exit()).as(fits.err()).isZero();
      assertThat(run("admin", "quota", "bob-admin").out()).contains("uses 2.0 MiB of no quota");
      Result scrub = run("admin", "scrub");
      assertThat(scrub.exit()).as(scrub.err()).isZero();
      assertThat(scrub.out()).contains("All intact.");

      Result devices = run("admin", "devices", "bob-admin");
      assertThat(devices.exit()).isZero();
      String deviceId = devices.out().strip().split("\\s+")[0];
      assertThat(run("admin", "revoke", "bob-admin", deviceId).exit()).isZero();
      Result signedOut = Processes.cli(bobHome, work, (String) null, "ls", "/");
      assertThat(signedOut.exit()).isNotZero();
    }
  }

  @Nested
  class Devices {
    @Test
    void devices_are_listed_and_a_revoked_one_is_signed_out() throws Exception {
      Path phoneHome = Files.createDirectories(tmp.resolve("phone-home"));
      Result login =
          Processes.cli(
              phoneHome,
              work,
              "hunter2hunter2\n",
              "login",
              "--server",
              server.url(),
              "--user",
              "alice",
              "--device",
              "phone",
              "--password-stdin");
      assertThat(login.exit()).as(login.err()).isZero();

      Result listed = run("devices");
      assertThat(listed.exit()).as(listed.err()).isZero();
      assertThat(listed.out()).contains("(this device)").contains("phone");
      String phoneId =
          listed
              .out()
              .lines()
              .filter(l -> l.contains("phone"))
              .findFirst()
              .orElseThrow()
              .split(" ")[0];

      assertThat(run("devices", "revoke", phoneId).exit()).isZero();
      assertThat(run("devices").out()).doesNotContain("phone");
      Result signedOut = Processes.cli(phoneHome, work, (String) null, "ls", "/");
      assertThat(signedOut.exit()).isEqualTo(1);
      assertThat(signedOut.err()).contains("Sign in again");
    }
  }

  @Nested
  class Exit_codes_and_messages {
    @Test
    void a_missing_remote_file_fails_with_exit_1_and_a_message() throws Exception {
      Result result = run("get", "/no/such/file");
      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.err()).startsWith("coffer: ").doesNotContain("Exception");
    }

    @Test
    void a_bad_name_is_refused_with_the_reason() throws Exception {
      Result result = run("mkdir", "/CON");
      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.err()).contains("reserved device name");
    }

    @Test
    void wrong_usage_exits_2() throws Exception {
      assertThat(run("put").exit()).isEqualTo(2);
      assertThat(run("no-such-command").exit()).isEqualTo(2);
    }

    @Test
    void every_command_has_help() throws Exception {
      for (String command :
          new String[] {
            "server",
            "signup",
            "login",
            "logout",
            "put",
            "get",
            "ls",
            "mkdir",
            "mv",
            "rm",
            "versions",
            "restore",
            "trash",
            "link",
            "share",
            "unshare",
            "shares",
            "devices"
          }) {
        Result help = run(command, "--help");
        assertThat(help.exit()).as(command).isZero();
        assertThat(help.out()).as(command).contains("Usage: coffer " + command);
      }
    }

    @Test
    void a_wrong_password_is_refused() throws Exception {
      Path otherHome = Files.createDirectories(tmp.resolve("other-home"));
      Result result =
          Processes.cli(
              otherHome,
              work,
              "wrong-password\n",
              "login",
              "--server",
              server.url(),
              "--user",
              "alice",
              "--password-stdin");
      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.err()).contains("username or password is wrong");
    }
  }
}
