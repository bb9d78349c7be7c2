package coffer.cli;

import coffer.server.CofferServer;
import coffer.server.ServerConfig;
import coffer.server.auth.SignupPolicy;
import coffer.server.files.Retention;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description =
        "Run the server. With no flags: 127.0.0.1:8080, data in ./coffer-data (SQLite and local blobs).")
final class ServerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "${env:COFFER_DATA:-coffer-data}",
      description = "Data directory (env COFFER_DATA; default ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "${env:COFFER_PORT:-8080}",
      description = "Port; 0 picks a free one (env COFFER_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "${env:COFFER_BIND:-127.0.0.1}",
      description = "Address to listen on (env COFFER_BIND; default ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      defaultValue = "${env:COFFER_DB_URL}",
      description = "Metadata database (env COFFER_DB_URL; default SQLite in the data directory).")
  String db;

  @Option(
      names = "--blobs",
      paramLabel = "LOCATION",
      defaultValue = "${env:COFFER_BLOBS:-local}",
      description =
          "Where chunks are stored: local (blobs/ in the data directory) or s3://BUCKET/prefix?endpoint=URL&region=R&pathStyle=true;"
              + " S3 credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or the AWS default chain (env COFFER_BLOBS; default ${DEFAULT-VALUE}).")
  String blobs;

  @Option(
      names = "--signup",
      paramLabel = "POLICY",
      defaultValue = "${env:COFFER_SIGNUP:-open}",
      description =
          "Who may create accounts after the first: open or admin-only (env COFFER_SIGNUP; default ${DEFAULT-VALUE}).")
  String signup;

  @Option(
      names = "--max-upload",
      paramLabel = "BYTES",
      defaultValue = "${env:COFFER_MAX_UPLOAD:-68719476736}",
      description = "Largest upload in bytes (env COFFER_MAX_UPLOAD; default 64 GiB).")
  long maxUpload;

  @Option(
      names = "--gc-grace",
      paramLabel = "DURATION",
      defaultValue = "${env:COFFER_GC_GRACE:-24h}",
      description =
          "How old an unreferenced chunk must be before garbage collection deletes it, such as 24h, 30m or 90s (env COFFER_GC_GRACE; default ${DEFAULT-VALUE}).")
  String gcGrace;

  @Option(
      names = "--keep-versions-for",
      paramLabel = "DURATION",
      defaultValue = "${env:COFFER_KEEP_VERSIONS_FOR:-30d}",
      description =
          "Old versions younger than this are always kept (env COFFER_KEEP_VERSIONS_FOR; default ${DEFAULT-VALUE}).")
  String keepVersionsFor;

  @Option(
      names = "--keep-versions",
      paramLabel = "N",
      defaultValue = "${env:COFFER_KEEP_VERSIONS:-100}",
      description =
          "The newest N versions of each file are always kept (env COFFER_KEEP_VERSIONS; default ${DEFAULT-VALUE}).")
  int keepVersions;

  @Option(
      names = "--keep-trash-for",
      paramLabel = "DURATION",
      defaultValue = "${env:COFFER_KEEP_TRASH_FOR:-30d}",
      description =
          "How long deleted files stay restorable in the trash (env COFFER_KEEP_TRASH_FOR; default ${DEFAULT-VALUE}).")
  String keepTrashFor;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      defaultValue = "${env:COFFER_REDIS_URL}",
      description =
          "Redis for change notifications across several servers, such as redis://127.0.0.1:6379 (env COFFER_REDIS_URL; default: in-process, for one server).")
  String redis;

  @Option(
      names = "--user-rate",
      paramLabel = "N",
      defaultValue = "${env:COFFER_USER_RATE:-200}",
      description =
          "Requests a second each user may make, in bursts of ten seconds' worth; more get 429 with Retry-After (env COFFER_USER_RATE; default ${DEFAULT-VALUE}; 0: no limit).")
  long userRate;

  @Option(
      names = "--ip-rate",
      paramLabel = "N",
      defaultValue = "${env:COFFER_IP_RATE:-50}",
      description =
          "Requests a second without a token (sign-up, log-in, public links) each client address may make, in bursts of ten seconds' worth (env COFFER_IP_RATE; default ${DEFAULT-VALUE}; 0: no limit).")
  long ipRate;

  @Option(
      names = "--trusted-proxy",
      paramLabel = "ADDRESS",
      split = ",",
      defaultValue = "${env:COFFER_TRUSTED_PROXIES:-}",
      description =
          "The address of a proxy in front of the server (such as nginx's) whose X-Forwarded-For names the client, for per-address limits and the access log; repeat or separate with commas (env COFFER_TRUSTED_PROXIES; default: none, the peer is the client).")
  java.util.List<String> trustedProxies = new java.util.ArrayList<>();

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      defaultValue = "${env:COFFER_TLS_CERT}",
      description =
          "Serve HTTPS with this PEM certificate chain (env COFFER_TLS_CERT; with --tls-key; default: HTTP, as behind a proxy that terminates TLS).")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      defaultValue = "${env:COFFER_TLS_KEY}",
      description =
          "The certificate's private key: an unencrypted PKCS#8 PEM file (env COFFER_TLS_KEY).")
  Path tlsKey;

  @Option(
      names = "--master-key",
      paramLabel = "FILE",
      defaultValue = "${env:COFFER_MASTER_KEY_FILE}",
      description =
          "The master key file local blobs are encrypted under; it must live outside the data directory and is made on first start. The environment variable COFFER_MASTER_KEY may hold the key ring itself instead (env COFFER_MASTER_KEY_FILE; default: DATA.key beside the data directory).")
  Path masterKey;

  @Option(
      names = "--encrypt-blobs",
      paramLabel = "true|false",
      arity = "1",
      defaultValue = "${env:COFFER_ENCRYPT_BLOBS:-true}",
      description =
          "Encrypt local blobs at rest with AES-256-GCM (compressed first where it pays); blobs already stored stay readable either way (env COFFER_ENCRYPT_BLOBS; default ${DEFAULT-VALUE}).")
  boolean encryptBlobs;

  @Override
  public Integer call() throws InterruptedException {
    SignupPolicy policy =
        switch (signup) {
          case "open" -> SignupPolicy.OPEN;
          case "admin-only" -> SignupPolicy.ADMIN_ONLY;
          default ->
              throw new picocli.CommandLine.ParameterException(
                  spec.commandLine(), "--signup is open or admin-only, not '" + signup + "'");
        };
    long started = System.nanoTime();
    ServerConfig config;
    try {
      config = ServerConfig.defaults().withBlobs(blobs);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--blobs: " + e.getMessage());
    }
    config =
        config
            .withDataDir(data)
            .withPort(port)
            .withBind(bind)
            .withDatabaseUrl(db == null || db.isBlank() ? null : db)
            .withSignup(policy)
            .withMaxUploadBytes(maxUpload)
            .withRedisUrl(redis == null || redis.isBlank() ? null : redis)
            .withGarbageCollection(duration("--gc-grace", gcGrace), Duration.ofHours(1))
            .withRetention(retention())
            .withTls(tls())
            .withEncryption(encryption())
            .withRateLimits(rate("--user-rate", userRate), rate("--ip-rate", ipRate))
            .withTrustedProxies(
                trustedProxies.stream()
                    .map(String::strip)
                    .filter(a -> !a.isEmpty())
                    .collect(java.util.stream.Collectors.toSet()));
    CofferServer server;
    try {
      server = CofferServer.start(config);
    } catch (RuntimeException e) {
      throw new UserException("cannot start the server: " + rootMessage(e));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  // The access log is written off the request threads: what is still queued
                  // (the lines of requests the graceful stop let finish) is written before exit.
                  if (org.slf4j.LoggerFactory.getILoggerFactory()
                      instanceof ch.qos.logback.classic.LoggerContext logging) {
                    logging.stop();
                  }
                  stopped.countDown();
                }));
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Coffer is running at %s (ready in %d ms; data in %s%s%s)%n",
        server.url(),
        (System.nanoTime() - started) / 1_000_000,
        data.toAbsolutePath().normalize(),
        config.blobs() == null ? "" : "; chunks in " + config.blobs(),
        config.blobs() != null || !encryptBlobs || config.encryption().keyText() != null
            ? ""
            : "; master key in " + config.encryption().keyFileFor(data));
    out.printf(
        "Create the first account (it becomes the admin):%n  ./coffer signup --server %s --user NAME%n",
        server.url());
    out.printf("Then: ./coffer login --server %s --user NAME && ./coffer put FILE%n", server.url());
    out.flush();
    stopped.await();
    return 0;
  }

  private ServerConfig.Tls tls() {
    Path tlsCert = given(this.tlsCert);
    Path tlsKey = given(this.tlsKey);
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--tls-cert and --tls-key go together: give both, or neither");
    }
    return tlsCert == null ? null : new ServerConfig.Tls(tlsCert, tlsKey);
  }

  private ServerConfig.Encryption encryption() {
    String keyText = System.getenv("COFFER_MASTER_KEY");
    return new ServerConfig.Encryption(
        encryptBlobs,
        given(masterKey),
        keyText == null || keyText.isBlank() ? null : keyText.replace("\\n", "\n"));
  }

  private coffer.server.ops.RateLimit rate(String option, long perSecond) {
    if (perSecond < 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), option + " is a number of requests a second, or 0 for no limit");
    }
    return perSecond == 0 ? null : coffer.server.ops.RateLimit.perSecond(perSecond);
  }

  /** An option left to an unset environment variable arrives as an empty path. */
  private static Path given(Path path) {
    return path == null || path.toString().isEmpty() ? null : path;
  }

  private Retention.Policy retention() {
    if (keepVersions < 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--keep-versions cannot be negative");
    }
    return new Retention.Policy(
        duration("--keep-versions-for", keepVersionsFor),
        keepVersions,
        duration("--keep-trash-for", keepTrashFor));
  }

  private Duration duration(String option, String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(text.strip());
    if (!m.matches()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          option + " takes a number and a unit (s, m, h or d), such as 24h, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
  }
}
