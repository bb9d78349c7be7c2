package coffer.server.blob.local;

import coffer.core.error.StorageException;
import coffer.core.hash.Sha256;
import coffer.server.blob.BlobStore;
import coffer.server.blob.VerifiedBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * Blobs as files in a directory: {@code ab/abcdef…} under the root. A blob is written to a temp
 * file, fsynced, renamed into place and its directory fsynced before {@link #put} returns, so an
 * acknowledged blob survives a crash and a half-written one is never visible under its name.
 *
 * <p>With a {@link BlobSeal}, blobs are compressed where it pays and encrypted on disk. Blobs
 * written before encryption was turned on stay readable as they are: every read is verified against
 * the chunk's hash either way.
 */
public final class LocalBlobStore implements BlobStore {

  private final Path root;
  private final Path temp;
  private final BlobSeal seal;

  /** A store that keeps blobs as they are, unencrypted. */
  public LocalBlobStore(Path root) {
    this(root, null);
  }

  /** A store that encrypts new blobs with {@code seal} (null: keeps them as they are). */
  public LocalBlobStore(Path root, BlobSeal seal) {
    this.seal = seal;
    try {
      this.root = Files.createDirectories(root).toRealPath();
      this.temp = Files.createDirectories(this.root.resolve(".tmp"));
      for (int i = 0; i < 256; i++) {
        Files.createDirectories(this.root.resolve(String.format("%02x", i)));
      }
      fsyncDirectory(this.root);
      cleanTemp();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open blob directory " + root, e);
    }
  }

  @Override
  public void put(Sha256 hash, InputStream data, long length) {
    Path target = path(hash);
    Path tmp = null;
    try {
      // Verified before anything is written: the sender may be an untrusted uploader.
      byte[] bytes = VerifiedBytes.read(hash, data, length);
      if (Files.exists(target)) {
        touch(target);
        return;
      }
      byte[] stored = seal == null || !seal.sealing() ? bytes : seal.seal(hash, bytes);
      tmp = Files.createTempFile(temp, hash.hex(), ".part");
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new StorageException("blob-store", "blob directory cannot rename atomically", e);
      }
      tmp = null;
      fsyncDirectory(target.getParent());
    } catch (IOException e) {
      throw new StorageException("blob-store", "cannot store blob " + hash + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Left for cleanTemp() at the next start.
        }
      }
    }
  }

  @Override
  public byte[] read(Sha256 hash) {
    byte[] stored;
    try {
      stored = Files.readAllBytes(path(hash));
    } catch (NoSuchFileException e) {
      throw new StorageException("blob-missing", "blob " + hash + " is missing", e);
    } catch (IOException e) {
      throw new StorageException("blob-store", "cannot read blob " + hash + ": " + e, e);
    }
    if (BlobSeal.looksSealed(stored)) {
      if (seal != null) {
        try {
          return seal.open(hash, stored);
        } catch (StorageException notSealed) {
          // A plain chunk may begin like a sealed blob: it is one only if it hashes to its name.
          if (!Sha256.of(stored).equals(hash)) {
            throw notSealed;
          }
          return stored;
        }
      }
      if (!Sha256.of(stored).equals(hash)) {
        throw new StorageException(
            "blob-key-missing",
            "blob " + hash + " is encrypted: start the server with its master key");
      }
      return stored;
    }
    // Written unencrypted (before encryption was on, or by a store without it).
    if (!Sha256.of(stored).equals(hash)) {
      throw new StorageException("blob-corrupt", "blob " + hash + " is corrupt");
    }
    return stored;
  }

  @Override
  public boolean exists(Sha256 hash) {
    return Files.exists(path(hash));
  }

  @Override
  public void delete(Sha256 hash) {
    try {
      Files.deleteIfExists(path(hash));
    } catch (IOException e) {
      throw new StorageException("blob-store", "cannot delete blob " + hash + ": " + e, e);
    }
  }

  @Override
  public void list(Consumer<StoredBlob> each) {
    for (int i = 0; i < 256; i++) {
      try (DirectoryStream<Path> dir =
          Files.newDirectoryStream(root.resolve(String.format("%02x", i)))) {
        for (Path file : dir) {
          Sha256 hash;
          try {
            hash = Sha256.parse(file.getFileName().toString());
          } catch (RuntimeException notABlob) {
            continue;
          }
          BasicFileAttributes attributes;
          try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
          } catch (NoSuchFileException deletedMeanwhile) {
            continue;
          }
          each.accept(
              new StoredBlob(hash, attributes.size(), attributes.lastModifiedTime().toInstant()));
        }
      } catch (IOException e) {
        throw new StorageException("blob-store", "cannot list blobs: " + e, e);
      }
    }
  }

  /** Marks a blob as just stored, so garbage collection's grace period starts again. */
  private static void touch(Path blob) {
    try {
      Files.setLastModifiedTime(
          blob, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
    } catch (IOException e) {
      throw new StorageException(
          "blob-store", "cannot update blob " + blob.getFileName() + ": " + e, e);
    }
  }

  private Path path(Sha256 hash) {
    String hex = hash.hex();
    return root.resolve(hex.substring(0, 2)).resolve(hex);
  }

  private void cleanTemp() throws IOException {
    try (var leftovers = Files.list(temp)) {
      for (Path leftover : (Iterable<Path>) leftovers::iterator) {
        Files.deleteIfExists(leftover);
      }
    }
  }

  private static void fsyncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
