package coffer.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The server's signing secret: 256 random bits, made on first start, readable by the owner only.
 */
final class Secrets {
  private Secrets() {}

  static byte[] load(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        PrivateFiles.createOnce(file, secret);
      }
      byte[] secret = Files.readAllBytes(file);
      if (secret.length < 32) {
        throw new IllegalStateException(file + " is damaged: it must hold at least 32 bytes");
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the signing secret " + file, e);
    }
  }
}
