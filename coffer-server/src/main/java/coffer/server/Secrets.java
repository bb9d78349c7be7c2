package coffer.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // Not POSIX: the data directory's own protection applies.
        }
        Files.write(tmp, secret, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        try {
          Files.move(tmp, file);
        } catch (FileAlreadyExistsException raced) {
          Files.deleteIfExists(tmp);
        }
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
