package coffer.server;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Secrets on disk: files readable by their owner only, written whole or not at all. */
public final class PrivateFiles {
  private PrivateFiles() {}

  /**
   * Writes {@code content} to {@code file} if it does not exist yet: to an owner-only temp file,
   * synced, then moved into place. When another process made the file meanwhile, its file stays.
   */
  public static void createOnce(Path file, byte[] content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not POSIX: the directory's own protection applies.
    }
    Files.write(tmp, content, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    try {
      Files.move(tmp, file);
    } catch (FileAlreadyExistsException raced) {
      Files.deleteIfExists(tmp);
    }
  }
}
