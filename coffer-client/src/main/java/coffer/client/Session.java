package coffer.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A signed-in device's state under {@code $COFFER_HOME} (default {@code ~/.config/coffer}): the
 * server's URL and this device's token, readable by the owner only.
 */
public record Session(String server, String username, String token, String deviceId) {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String FILE = "session.json";

  /** The client's home directory: {@code $COFFER_HOME}, or {@code ~/.config/coffer}. */
  public static Path home() {
    String env = System.getenv("COFFER_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".config", "coffer");
  }

  public static Optional<Session> load(Path home) throws IOException {
    Path file = home.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(MAPPER.readValue(file.toFile(), Session.class));
  }

  /** Writes the session atomically, readable by the owner only. */
  public void save(Path home) throws IOException {
    Files.createDirectories(home);
    Path tmp = Files.createTempFile(home, "session", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // Not a POSIX file system; the home directory's own protection applies.
      }
      MAPPER.writeValue(tmp.toFile(), this);
      Files.move(tmp, home.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static void delete(Path home) throws IOException {
    Files.deleteIfExists(home.resolve(FILE));
  }
}
