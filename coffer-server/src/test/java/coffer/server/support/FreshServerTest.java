package coffer.server.support;

import coffer.server.ServerConfig;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new server over a new data directory for every test, with {@code alice} signed in: for tests
 * whose assertions depend on everything the server holds (the trash, the change feed).
 */
public abstract class FreshServerTest {

  @TempDir protected Path data;
  protected TestServer server;
  protected Account alice;

  /** Changes the configuration the server starts with; none by default. */
  protected UnaryOperator<ServerConfig> configure() {
    return UnaryOperator.identity();
  }

  @BeforeEach
  void startServer() {
    server = TestServer.start(data, configure());
    alice = server.newAccount("alice");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }
}
