package coffer.server;

import static java.util.Objects.requireNonNull;

import coffer.server.auth.PasswordHasher;
import coffer.server.auth.SignupPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a server needs to start, built once from flags and environment.
 *
 * @param dataDir where embedded state lives: {@code metadata.db} and {@code blobs/}
 * @param bind the address to listen on
 * @param port the port, or 0 for any free one
 * @param databaseUrl a JDBC URL, or null for SQLite inside {@code dataDir}
 * @param signup who may create accounts after the first
 * @param maxUploadBytes the largest request body {@code POST /files} accepts
 * @param passwords how passwords are hashed
 * @param gcGrace how old an unreferenced chunk must be before garbage collection deletes it
 * @param gcInterval how often garbage collection runs
 */
public record ServerConfig(
    Path dataDir,
    String bind,
    int port,
    String databaseUrl,
    SignupPolicy signup,
    long maxUploadBytes,
    PasswordHasher passwords,
    Duration gcGrace,
    Duration gcInterval) {

  public static final long DEFAULT_MAX_UPLOAD = 64L << 30;

  public ServerConfig {
    requireNonNull(dataDir, "dataDir is null");
    requireNonNull(bind, "bind is null");
    requireNonNull(signup, "signup is null");
    requireNonNull(passwords, "passwords is null");
    requireNonNull(gcGrace, "gcGrace is null");
    requireNonNull(gcInterval, "gcInterval is null");
    if (gcInterval.toSeconds() < 1) {
      throw new IllegalArgumentException("garbage collection runs at most once a second");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
    }
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException("the upload limit must be positive");
    }
  }

  /** The embedded defaults: {@code ./coffer-data}, 127.0.0.1:8080, open sign-up. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        Path.of("coffer-data"),
        "127.0.0.1",
        8080,
        null,
        SignupPolicy.OPEN,
        DEFAULT_MAX_UPLOAD,
        PasswordHasher.DEFAULT,
        Duration.ofHours(24),
        Duration.ofHours(1));
  }

  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(
        dir, bind, port, databaseUrl, signup, maxUploadBytes, passwords, gcGrace, gcInterval);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        dataDir,
        bind,
        newPort,
        databaseUrl,
        signup,
        maxUploadBytes,
        passwords,
        gcGrace,
        gcInterval);
  }

  public ServerConfig withBind(String address) {
    return new ServerConfig(
        dataDir,
        address,
        port,
        databaseUrl,
        signup,
        maxUploadBytes,
        passwords,
        gcGrace,
        gcInterval);
  }

  public ServerConfig withDatabaseUrl(String url) {
    return new ServerConfig(
        dataDir, bind, port, url, signup, maxUploadBytes, passwords, gcGrace, gcInterval);
  }

  public ServerConfig withSignup(SignupPolicy policy) {
    return new ServerConfig(
        dataDir, bind, port, databaseUrl, policy, maxUploadBytes, passwords, gcGrace, gcInterval);
  }

  public ServerConfig withMaxUploadBytes(long bytes) {
    return new ServerConfig(
        dataDir, bind, port, databaseUrl, signup, bytes, passwords, gcGrace, gcInterval);
  }

  public ServerConfig withGarbageCollection(Duration grace, Duration interval) {
    return new ServerConfig(
        dataDir, bind, port, databaseUrl, signup, maxUploadBytes, passwords, grace, interval);
  }

  public ServerConfig withPasswords(PasswordHasher hasher) {
    return new ServerConfig(
        dataDir, bind, port, databaseUrl, signup, maxUploadBytes, hasher, gcGrace, gcInterval);
  }
}
