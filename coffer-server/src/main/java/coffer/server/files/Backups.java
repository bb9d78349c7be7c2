package coffer.server.files;

import coffer.core.api.BackupReport;
import coffer.core.error.BadRequestException;
import coffer.core.error.ConflictException;
import coffer.core.error.StorageException;
import coffer.server.blob.BlobStore;
import coffer.server.metadata.MetadataStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of an embedded server: a folder laid out as a data directory (metadata, chunks, signing
 * secret), so restoring is copying it back in place of the data directory while the server is
 * stopped. The metadata is copied as of one moment, then every chunk is read back, verified and
 * written to the folder (one already there from an earlier backup is skipped). Chunks are written
 * the way the data directory keeps them, so with encryption at rest the backup is encrypted under
 * the same master key, which is not part of it.
 *
 * <p>The copy of the metadata gets a new epoch: a server restored from it is a new history, and
 * devices that synced with the server since the backup start over instead of reading the restored
 * journal as if it were the one they knew (which could otherwise make them delete their newer
 * files).
 */
public final class Backups {

  private static final Logger LOG = LoggerFactory.getLogger(Backups.class);

  /** The file that marks a folder as a Coffer backup, and tells a reader how to restore it. */
  public static final String MARKER = "BACKUP.txt";

  private final MetadataStore store;
  private final BlobStore blobs;
  private final Function<Path, BlobStore> backupBlobs;
  private final Path data;
  private final ExecutorService maintenance;
  private final Clock clock;

  /**
   * @param backupBlobs opens the chunk store of a backup folder, as the data directory keeps chunks
   * @param data the server's data directory, whose signing secret is copied too
   * @param maintenance the executor garbage collection runs on: a backup runs there too, so no
   *     chunk the copied metadata needs is collected before it is copied
   */
  public Backups(
      MetadataStore store,
      BlobStore blobs,
      Function<Path, BlobStore> backupBlobs,
      Path data,
      ExecutorService maintenance,
      Clock clock) {
    this.store = store;
    this.blobs = blobs;
    this.backupBlobs = backupBlobs;
    this.data = data;
    this.maintenance = maintenance;
    this.clock = clock;
  }

  /** Writes or brings up to date the backup in {@code folder}, an absolute path. */
  public BackupReport backUp(String folder) {
    Path target = checkTarget(folder);
    try {
      return maintenance.submit(() -> run(target)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing up", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("backup failed: " + e.getCause(), e.getCause());
    }
  }

  private Path checkTarget(String folder) {
    if (folder == null || folder.isBlank()) {
      throw new BadRequestException("invalid-path", "Give the backup folder as an absolute path.");
    }
    Path target;
    try {
      target = Path.of(folder.strip());
    } catch (java.nio.file.InvalidPathException e) {
      throw new BadRequestException("invalid-path", "The backup folder is not a valid path.");
    }
    if (!target.isAbsolute()) {
      throw new BadRequestException(
          "invalid-path",
          "Give the backup folder as an absolute path on the server's machine, not '"
              + folder
              + "'.");
    }
    target = target.normalize();
    Path real = realOrSelf(target);
    if (real.startsWith(data) || data.startsWith(real)) {
      throw new BadRequestException(
          "invalid-path",
          "The backup folder must be outside the data directory " + data + ", and not hold it.");
    }
    try {
      if (Files.isDirectory(target) && !Files.exists(target.resolve(MARKER)) && !isEmpty(target)) {
        throw new ConflictException(
            "backup-folder-in-use",
            "The folder "
                + target
                + " holds other files: give an empty or new folder, or an"
                + " earlier backup.");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look into " + target, e);
    }
    return target;
  }

  private BackupReport run(Path target) throws IOException {
    Instant started = clock.instant();
    Files.createDirectories(target);
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String epoch = HexFormat.of().formatHex(random);
    try {
      store.backUpTo(target.resolve("metadata.db"), epoch);
    } catch (UnsupportedOperationException e) {
      throw new ConflictException(
          "backup-unsupported",
          "This server keeps its metadata in PostgreSQL: back it up with pg_dump, and its"
              + " chunks with the object store's own tools (see docs/OPERATIONS.md, Backups).");
    }
    BlobStore copy = backupBlobs.apply(target.resolve("blobs"));
    long[] counts = new long[3];
    List<String> unreadable = new ArrayList<>();
    blobs.list(
        blob -> {
          if (copy.exists(blob.hash())) {
            counts[1]++;
            return;
          }
          byte[] bytes;
          try {
            bytes = blobs.read(blob.hash());
          } catch (StorageException e) {
            if (!"blob-missing".equals(e.type())) {
              unreadable.add(blob.hash().hex());
            }
            return;
          }
          copy.put(blob.hash(), new ByteArrayInputStream(bytes), bytes.length);
          counts[0]++;
          counts[2] += bytes.length;
        });
    Path secret = data.resolve("secret.key");
    if (Files.exists(secret)) {
      Files.copy(secret, target.resolve("secret.key"), StandardCopyOption.REPLACE_EXISTING);
    }
    Instant finished = clock.instant();
    writeMarker(target, started, epoch);
    BackupReport report =
        new BackupReport(
            target.toString(),
            started,
            finished,
            epoch,
            counts[0],
            counts[1],
            counts[2],
            List.copyOf(unreadable));
    if (unreadable.isEmpty()) {
      LOG.info(
          "backup to {}: metadata as of {}, {} chunks written ({} bytes), {} already there",
          target,
          started,
          counts[0],
          counts[2],
          counts[1]);
    } else {
      LOG.error(
          "backup to {}: {} chunks could not be read back intact and are not in it: {}",
          target,
          unreadable.size(),
          unreadable);
    }
    return report;
  }

  private static void writeMarker(Path target, Instant started, String epoch) throws IOException {
    String text =
        "Coffer backup\n"
            + "metadata as of: "
            + started
            + "\n"
            + "epoch: "
            + epoch
            + "\n\n"
            + "To restore: stop the server, move its data directory aside, copy this folder in its\n"
            + "place, and start the server. The master key (NAME.key beside the data directory)\n"
            + "is not in here: it must be where the server looks for it. Devices that synced\n"
            + "since this backup start over and upload what the server lacks.\n";
    Path tmp = target.resolve(MARKER + ".part");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, target.resolve(MARKER), StandardCopyOption.REPLACE_EXISTING);
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static Path realOrSelf(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      Path parent = path.getParent();
      return parent == null ? path : realOrSelf(parent).resolve(path.getFileName());
    }
  }
}
