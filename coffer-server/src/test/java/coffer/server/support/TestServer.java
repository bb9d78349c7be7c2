package coffer.server.support;

import coffer.server.CofferServer;
import coffer.server.ServerConfig;
import coffer.server.auth.PasswordHasher;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real server on a free port over a temporary data directory, and an HTTP client to talk to it.
 * Passwords are hashed cheaply so that tests stay fast.
 */
public final class TestServer implements AutoCloseable {

  /** The password every test account gets unless a test says otherwise. */
  public static final String PASSWORD = "correct horse battery staple";

  /** Argon2id at its cheapest: fine for tests, never for production. */
  public static final PasswordHasher CHEAP_HASHING = new PasswordHasher(1024, 1, 1);

  static final ObjectMapper JSON = new ObjectMapper();

  private static final AtomicInteger NAMES = new AtomicInteger();

  private final CofferServer server;
  private final HttpClient http;
  private final URI base;

  private TestServer(CofferServer server) {
    this.server = server;
    this.base = server.url();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** Starts a server with the embedded defaults in {@code dataDir}. */
  public static TestServer start(Path dataDir) {
    return start(dataDir, UnaryOperator.identity());
  }

  /** Starts a server whose configuration {@code customize} may change. */
  public static TestServer start(Path dataDir, UnaryOperator<ServerConfig> customize) {
    ServerConfig config =
        customize.apply(
            ServerConfig.defaults()
                .withDataDir(dataDir)
                .withPort(0)
                .withPasswords(CHEAP_HASHING)
                // Tests drive the API far faster than people do; RateLimitsApiTest sets limits.
                .withRateLimits(null, null));
    if (ON_POSTGRES && config.databaseUrl() == null) {
      config = config.withDatabaseUrl(PostgresSuite.urlFor(dataDir));
    }
    // The master key is made beside the data directory, outside the test's own folder.
    config.encryption().keyFileFor(dataDir).toFile().deleteOnExit();
    return new TestServer(CofferServer.start(config));
  }

  /**
   * With {@code -Dcoffer.test.database=postgres} every server the tests start keeps its metadata in
   * PostgreSQL instead of the embedded SQLite (one schema per data directory, so a restart finds
   * its data again): the same suite proves the same behaviour on both stores.
   */
  public static final boolean ON_POSTGRES =
      "postgres".equals(System.getProperty("coffer.test.database"));

  /** A direct connection to the metadata of the server on {@code dataDir}, whichever store. */
  public static java.sql.Connection metadataConnection(Path dataDir) throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(
        ON_POSTGRES
            ? PostgresSuite.urlFor(dataDir)
            : "jdbc:sqlite:" + dataDir.resolve("metadata.db"));
  }

  public URI url() {
    return base;
  }

  /** The running server itself, for what only it can do (such as collecting garbage). */
  public CofferServer server() {
    return server;
  }

  // --- raw requests --------------------------------------------------------------------------

  /** A request builder for {@code path} (such as {@code /api/v1/account}) with a timeout. */
  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
  }

  /** Sends a request and reads the whole response. */
  public Reply send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(
          request.method(),
          request.uri().getRawPath(),
          response.statusCode(),
          response.headers(),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Sends {@code method path} with an optional bearer token and an optional JSON body: a String is
   * sent as is (so tests can send malformed JSON), anything else is serialized.
   */
  public Reply json(String method, String path, String token, Object body) {
    HttpRequest.Builder request = request(path);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(toJson(body)));
    }
    return send(request.build());
  }

  /** A GET with raw extra headers given as name, value, name, value… */
  public Reply get(String path, String... headerPairs) {
    HttpRequest.Builder request = request(path).GET();
    for (int i = 0; i < headerPairs.length; i += 2) {
      request.header(headerPairs[i], headerPairs[i + 1]);
    }
    return send(request.build());
  }

  // --- accounts ------------------------------------------------------------------------------

  /** An anonymous sign-up. */
  public Reply signup(String username, String password) {
    return signup(username, password, null);
  }

  /** A sign-up, made by the holder of {@code token} when it is not null. */
  public Reply signup(String username, String password, String token) {
    return json("POST", "/api/v1/auth/signup", token, credentials(username, password, null));
  }

  public Reply login(String username, String password, String device) {
    return json("POST", "/api/v1/auth/login", null, credentials(username, password, device));
  }

  /**
   * A username no other test has used, so that tests can share one server and still start from an
   * empty account.
   */
  public static String uniqueName(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet();
  }

  /** Signs up a fresh account whose name starts with {@code prefix} and logs it in. */
  public Account newUniqueAccount(String prefix) {
    return newAccount(uniqueName(prefix));
  }

  /** Signs up {@code username} with {@link #PASSWORD} and logs in on a first device. */
  public Account newAccount(String username) {
    signup(username, PASSWORD).expect(201);
    return login(username);
  }

  /** Logs an existing account in on a new device. */
  public Account login(String username) {
    JsonNode login = login(username, PASSWORD, "test device").expect(200).json();
    return new Account(
        this, username, login.path("token").asText(), login.path("deviceId").asText());
  }

  @Override
  public void close() {
    server.close();
  }

  static String toJson(Object body) {
    if (body instanceof String text) {
      return text;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize " + body, e);
    }
  }

  private static Map<String, Object> credentials(String username, String password, String device) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", username);
    body.put("password", password);
    if (device != null) {
      body.put("device", device);
    }
    return body;
  }
}
