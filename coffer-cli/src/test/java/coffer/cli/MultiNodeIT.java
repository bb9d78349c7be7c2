package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import coffer.cli.Processes.Result;
import coffer.cli.Processes.Server;
import coffer.client.CofferClient;
import coffer.client.Session;
import coffer.core.api.ChangesPage;
import coffer.core.api.LoginResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production mode on one machine: two {@code coffer server} processes on one PostgreSQL database,
 * Redis and an S3 bucket (S3Proxy), behind nginx (Debian's) on loopback, as {@code
 * deploy/nginx.conf} sets it up. Sync clients go through nginx; one server is killed at the end. In
 * CI a missing nginx, PostgreSQL or Redis fails the run; elsewhere the test is skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeIT {

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final String REDIS = "redis://127.0.0.1:6379";
  private static final Map<String, String> AWS_ENV =
      Map.of(
          "AWS_ACCESS_KEY_ID",
          LocalS3.ACCESS_KEY,
          "AWS_SECRET_ACCESS_KEY",
          LocalS3.SECRET_KEY,
          "AWS_REGION",
          "us-east-1",
          "AWS_EC2_METADATA_DISABLED",
          "true");

  @TempDir static Path tmp;

  private LocalS3 s3;
  private String database;
  private Server one;
  private Server two;
  private Process nginx;
  private String front;

  @BeforeAll
  void startCluster() throws Exception {
    Path nginxBinary = requireServices();
    s3 = LocalS3.start();
    database = "coffer_multinode_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection db = DriverManager.getConnection(POSTGRES)) {
      db.createStatement().execute("CREATE DATABASE " + database);
    }
    String url = "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
    int port1 = freePort();
    int port2 = freePort();
    one = node(tmp.resolve("one"), port1, url);
    two = node(tmp.resolve("two"), port2, url);
    int frontPort = freePort();
    Path conf = Files.createDirectories(tmp.resolve("nginx"));
    Files.createDirectories(conf.resolve("logs"));
    Files.createDirectories(conf.resolve("temp"));
    Files.writeString(conf.resolve("nginx.conf"), nginxConf(frontPort, port1, port2));
    nginx =
        new ProcessBuilder(
                nginxBinary.toString(),
                "-p",
                conf.toString(),
                "-c",
                "nginx.conf",
                "-g",
                "daemon off; pid " + conf.resolve("nginx.pid") + ";")
            .redirectErrorStream(true)
            .redirectOutput(conf.resolve("logs/stdout.log").toFile())
            .start();
    awaitPort(frontPort);
    front = "http://127.0.0.1:" + frontPort;
  }

  private Server node(Path data, int port, String databaseUrl) throws Exception {
    return Server.start(
        data,
        AWS_ENV,
        "--port",
        String.valueOf(port),
        "--db",
        databaseUrl,
        "--redis",
        REDIS,
        "--blobs",
        s3.location("multinode"));
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (nginx != null) {
      nginx.destroy();
      nginx.waitFor(30, TimeUnit.SECONDS);
    }
    for (Server server : new Server[] {one, two}) {
      if (server != null) {
        server.close();
      }
    }
    if (database != null) {
      try (Connection db = DriverManager.getConnection(POSTGRES)) {
        db.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  @Order(1)
  void two_sync_clients_through_nginx_converge() throws Exception {
    List<Device> d = devices("converge", "a", "b");
    Device a = d.get(0);
    Device b = d.get(1);
    Random random = new Random(5);
    for (int i = 0; i < 30; i++) {
      write(a.dir().resolve("docs/" + i + ".txt"), "note " + i + " " + random.nextLong());
    }
    byte[] big = new byte[6 << 20];
    random.nextBytes(big);
    Files.write(a.dir().resolve("big.bin"), big);
    a.converge();
    b.converge();
    assertThat(tree(b.dir())).isEqualTo(tree(a.dir()));
    write(b.dir().resolve("docs/reply.txt"), "from b");
    b.converge();
    a.converge();
    assertThat(tree(a.dir())).isEqualTo(tree(b.dir()));
  }

  @Test
  @Order(2)
  void a_long_poll_on_one_server_is_woken_by_a_commit_on_the_other() throws Exception {
    LoginResponse login = account("wake", "poller");
    CofferClient onOne = new CofferClient(URI.create(one.url()), login.token());
    CofferClient onTwo = new CofferClient(URI.create(two.url()), login.token());
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String cursor = head(onOne);
      CompletableFuture<Long> woken =
          CompletableFuture.supplyAsync(
              () -> {
                assertThat(onOne.awaitChanges(cursor, Duration.ofSeconds(30))).isTrue();
                return System.nanoTime();
              });
      LockSupport.parkNanos(Duration.ofMillis(300).toNanos()); // parked on server one
      onTwo.mkdir("/wake-" + i, false);
      long committed = System.nanoTime();
      long at = woken.get(30, TimeUnit.SECONDS);
      millis.add(Math.max(0, (at - committed) / 1_000_000));
    }
    millis.sort(null);
    System.out.printf(
        "cross-server wake-up after a commit: median %d ms (%s)%n", millis.get(2), millis);
    assertThat(millis.get(2)).as("median wake-up, ms").isLessThan(1000);
  }

  @Test
  @Order(3)
  void a_device_signed_out_on_one_server_is_refused_by_the_other_at_once() throws Exception {
    LoginResponse login = account("signout", "laptop");
    CofferClient onOne = new CofferClient(URI.create(one.url()), login.token());
    CofferClient onTwo = new CofferClient(URI.create(two.url()), login.token());
    onTwo.account(); // server two has now seen (and keeps in memory) who this token is
    onOne.logout();
    long signedOut = System.nanoTime();
    // Server two keeps a token at most 10 s without asking the database again; it must learn of
    // the sign-out through Redis long before that.
    long deadline = signedOut + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        onTwo.account();
      } catch (coffer.client.ApiException refused) {
        assertThat(refused.status()).isEqualTo(401);
        break;
      }
      assertThat(System.nanoTime()).as("server two still accepts the token").isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
    System.out.printf(
        "a sign-out on server one refused by server two after %d ms%n",
        (System.nanoTime() - signedOut) / 1_000_000);
  }

  @Test
  @Order(4)
  void with_one_server_killed_the_clients_carry_on_through_the_other() throws Exception {
    List<Device> d = devices("failover", "a", "b");
    Device a = d.get(0);
    Device b = d.get(1);
    for (int i = 0; i < 10; i++) {
      write(a.dir().resolve("before/" + i + ".txt"), "before " + i);
    }
    a.converge();
    b.converge();
    one.kill();
    for (int i = 0; i < 10; i++) {
      write(a.dir().resolve("after/" + i + ".txt"), "after " + i);
      write(b.dir().resolve("from-b/" + i + ".txt"), "b " + i);
    }
    a.converge();
    b.converge();
    a.converge();
    assertThat(tree(a.dir())).isEqualTo(tree(b.dir()));
    assertThat(tree(a.dir())).hasSize(10 + 10 + 10 + 3);
  }

  // --- the cluster -------------------------------------------------------------------------------

  /** nginx's binary; fails in CI, skips elsewhere, when a service the test needs is missing. */
  private static Path requireServices() {
    List<String> missing = new ArrayList<>();
    Path nginx =
        Stream.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    if (nginx == null) {
      missing.add("nginx (apt-get install nginx-light)");
    }
    if (!reachable(5432)) {
      missing.add("PostgreSQL on 127.0.0.1:5432");
    }
    if (!reachable(6379)) {
      missing.add("Redis on 127.0.0.1:6379");
    }
    if (!missing.isEmpty()) {
      String message = "the multi-node test needs " + String.join(", ", missing);
      if (System.getenv("CI") != null) {
        fail(message + " (.ci/run installs and starts them)");
      }
      abort(message + "; skipped outside CI");
    }
    return nginx;
  }

  private static String nginxConf(int listen, int port1, int port2) {
    return """
        %s
        error_log logs/error.log warn;
        worker_processes 1;
        events {}
        http {
          access_log logs/access.log;
          client_body_temp_path temp/body;
          proxy_temp_path temp/proxy;
          upstream coffer {
            server 127.0.0.1:%d max_fails=1 fail_timeout=5s;
            server 127.0.0.1:%d max_fails=1 fail_timeout=5s;
            keepalive 16;
          }
          map $http_upgrade $connection_upgrade {
            default upgrade;
            ''      '';
          }
          server {
            listen 127.0.0.1:%d;
            client_max_body_size 0;
            proxy_request_buffering off;
            proxy_buffering off;
            proxy_read_timeout 330s;
            proxy_send_timeout 330s;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-Id $request_id;
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries 2;
            location / {
              proxy_pass http://coffer;
            }
          }
        }
        """
        .formatted(
            // As root, nginx's workers would run as nobody, who cannot enter the test's folders.
            "root".equals(System.getProperty("user.name")) ? "user root;" : "",
            port1,
            port2,
            listen);
  }

  private static boolean reachable(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  private static void awaitPort(int port) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!reachable(port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("nginx did not listen on " + port + " within 30 s");
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  // --- users and devices -------------------------------------------------------------------------

  private record Device(String name, Path home, Path dir) {

    /**
     * Runs {@code sync --once} until it converges (a failed round is tried again, as by a daemon).
     */
    void converge() throws Exception {
      Result last = null;
      for (int tries = 0; tries < 10; tries++) {
        last =
            Processes.cli(
                home, home, (String) null, "sync", dir.toString(), "--once", "--device=" + name);
        if (last.exit() == 0) {
          return;
        }
        LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      }
      throw new AssertionError(name + " did not converge: " + last.out() + last.err());
    }
  }

  private LoginResponse account(String prefix, String device) {
    String user = prefix + UUID.randomUUID().toString().substring(0, 8);
    CofferClient anonymous = new CofferClient(URI.create(front), null);
    anonymous.signup(user, "hunter2hunter2");
    return anonymous.login(user, "hunter2hunter2", device);
  }

  private List<Device> devices(String prefix, String... names) throws Exception {
    String user = prefix + UUID.randomUUID().toString().substring(0, 8);
    CofferClient anonymous = new CofferClient(URI.create(front), null);
    anonymous.signup(user, "hunter2hunter2");
    List<Device> devices = new ArrayList<>();
    for (String name : names) {
      LoginResponse login = anonymous.login(user, "hunter2hunter2", name);
      Path home = Files.createDirectories(tmp.resolve(user).resolve(name + "-home"));
      new Session(front, user, login.token(), login.deviceId()).save(home);
      devices.add(new Device(name, home, Files.createDirectories(tmp.resolve(user).resolve(name))));
    }
    return devices;
  }

  private static String head(CofferClient client) {
    ChangesPage page = client.changes(null);
    while (page.hasMore()) {
      page = client.changes(page.cursor());
    }
    return page.cursor();
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static Map<String, String> tree(Path dir) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(p -> !p.equals(dir)).toList()) {
        String rel = dir.relativize(p).toString();
        if (!rel.endsWith(".coffer-part")) {
          tree.put(
              rel, Files.isDirectory(p) ? "/" : Files.readString(p, StandardCharsets.ISO_8859_1));
        }
      }
    }
    return tree;
  }
}
