package coffer.client;

import coffer.core.api.ChunkInfo;
import coffer.core.api.ChunkTransfer;
import coffer.core.api.FileManifest;
import coffer.core.api.FileMetadata;
import coffer.core.api.UploadMetadata;
import coffer.core.api.UploadRequest;
import coffer.core.api.UploadSession;
import coffer.core.chunk.ChunkerConfig;
import coffer.core.hash.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moving file contents in chunks, over any {@link ServerApi}: uploads that send only what the
 * server lacks and resume after an interruption, and downloads that reuse local chunks, verify
 * every byte and replace a file only atomically, once complete and durable.
 */
public final class Transfers {

  /**
   * At most this many chunk bytes are on the wire at once: enough to keep the link busy, and an
   * interrupted upload never has to send more than this again.
   */
  private static final int MAX_IN_FLIGHT_BYTES = ChunkerConfig.DEFAULT.maxSize();

  private static final int MAX_DOWNLOAD_BYTES_IN_FLIGHT = 32 << 20;

  private final ServerApi api;
  private final ExecutorService workers;

  /** Transfers through {@code api}, hashing and moving chunks in parallel on {@code workers}. */
  public Transfers(ServerApi api, ExecutorService workers) {
    this.api = api;
    this.workers = workers;
  }

  /**
   * Uploads a local file with the chunked protocol: chunk and hash it here (unless {@code known}
   * already lists its chunks, from a scan), ask the server which chunks it lacks from this user,
   * send just those in parallel, then commit. Running it again after an interruption sends only the
   * chunks that never arrived; a chunk that no longer matches the file is refused by the server and
   * nothing is committed.
   */
  public PutResult put(
      Path local, UploadMetadata target, Progress progress, List<ChunkInfo> known) {
    try {
      LocalChunks chunks =
          known == null ? LocalChunks.of(local, workers) : LocalChunks.ofList(known);
      int chunksSent = 0;
      long bytesSent = 0;
      for (int attempt = 1; ; attempt++) {
        UploadSession session =
            api.startUpload(
                new UploadRequest(
                    target.path(),
                    target.parentId(),
                    target.name(),
                    target.overwrite(),
                    target.baseRevision(),
                    chunks.infos()));
        boolean complete = sendChunks(local, chunks, session, progress);
        chunksSent += session.missing().size();
        bytesSent += session.missingBytes();
        if (complete) {
          try {
            FileMetadata file = api.commitUpload(session.uploadId());
            return new PutResult(file, chunks.infos().size(), chunksSent, bytesSent);
          } catch (ApiException e) {
            if (!e.type().equals("chunks-missing") || attempt >= 3) {
              throw e;
            }
          }
        } else if (attempt >= 3) {
          throw new IOException("chunk uploads kept failing; run the command again to resume");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PUTs the missing chunks with bounded parallelism; false when some URL had expired. */
  private boolean sendChunks(
      Path local, LocalChunks chunks, UploadSession session, Progress progress) throws IOException {
    long total = session.missingBytes();
    AtomicLong done = new AtomicLong();
    AtomicBoolean expired = new AtomicBoolean();
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT_BYTES);
    progress.update(0, total);
    try (FileChannel file = FileChannel.open(local, StandardOpenOption.READ)) {
      List<Future<?>> futures = new ArrayList<>();
      for (ChunkTransfer transfer : session.missing()) {
        futures.add(
            workers.submit(
                () -> {
                  inFlight.acquire(transfer.length());
                  try {
                    byte[] data = chunks.read(file, transfer.hash());
                    if (!api.putChunk(transfer, data)) {
                      expired.set(true);
                      return null;
                    }
                    progress.update(done.addAndGet(data.length), total);
                    return null;
                  } finally {
                    inFlight.release(transfer.length());
                  }
                }));
      }
      awaitAll(futures);
    }
    return !expired.get();
  }

  /**
   * Where a download goes: {@code file}, replacing what is there once {@code beforeReplace} agrees;
   * chunks {@code local} has at hand are copied rather than fetched; with {@code syncDirectory},
   * the rename is made durable before returning (a caller placing many files may instead call
   * {@link #syncDirectory} once per folder).
   */
  public record Destination(
      Path file, ChunkSource local, ReplaceCheck beforeReplace, boolean syncDirectory) {}

  /**
   * Chunks a download may take from local files instead of the network: where on disk, by what the
   * caller last saw, a chunk with this hash can be read, or null when none is at hand. What is
   * copied from there is verified in the download, so a file changed since only means the chunk is
   * fetched instead.
   */
  public interface ChunkSource {
    ChunkSource NONE = hash -> null;

    Span locate(String hash);
  }

  /** {@code length} bytes at {@code offset} in {@code file}. */
  public record Span(Path file, long offset, int length) {}

  /** Makes the entries of a directory (renames into it) durable. */
  public static void syncDirectory(Path dir) throws IOException {
    FileChannel d;
    try {
      d = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException e) {
      return; // a system that cannot open folders (Windows) makes renames durable by itself
    }
    try (d) {
      d.force(true);
    }
  }

  /**
   * What a download did: of the file's distinct chunks, how many (and how many bytes) came over the
   * network; the others were copied from the local file it replaces.
   */
  public record Downloaded(
      FileMetadata file,
      List<ChunkInfo> chunkList,
      int chunks,
      int chunksFetched,
      long bytesFetched) {}

  /** Checked just before a download replaces what is at its target; throwing stops it. */
  public interface ReplaceCheck {
    void check() throws IOException;
  }

  /**
   * Downloads revision {@code revision} (null: the current one) of file {@code id} to {@code
   * target}, as a plain download does, and runs {@code check} just before the finished download
   * replaces the target, so a caller can refuse to overwrite bytes that changed meanwhile.
   */
  public Downloaded download(
      String id, String revision, Destination destination, Progress progress) {
    ChunkSource reusable = destination.local();
    FileManifest manifest = api.manifest(id, revision);
    try {
      checkContentHash(manifest);
      Map<String, List<Long>> offsets = new LinkedHashMap<>();
      Map<String, ChunkTransfer> transfers = new HashMap<>();
      long offset = 0;
      for (ChunkTransfer chunk : manifest.chunks()) {
        offsets.computeIfAbsent(chunk.hash(), h -> new ArrayList<>()).add(offset);
        transfers.putIfAbsent(chunk.hash(), chunk);
        offset += chunk.length();
      }
      long total = offset;
      AtomicLong done = new AtomicLong();
      AtomicLong fetchedBytes = new AtomicLong();
      java.util.concurrent.atomic.AtomicInteger fetched =
          new java.util.concurrent.atomic.AtomicInteger();
      Semaphore inFlight = new Semaphore(MAX_DOWNLOAD_BYTES_IN_FLIGHT);
      progress.update(0, total);
      replace(
          destination,
          out -> {
            if (total > 0) {
              // Full length from the start (sparse until written): a kernel copy lands only inside
              // the file, and chunks arrive in any order.
              out.write(ByteBuffer.allocate(1), total - 1);
            }
            Fetcher fetcher =
                chunk -> {
                  inFlight.acquire(chunk.length());
                  try {
                    byte[] data = fetchChunk(chunk);
                    fetched.incrementAndGet();
                    fetchedBytes.addAndGet(data.length);
                    for (long at : offsets.get(chunk.hash())) {
                      ByteBuffer buffer = ByteBuffer.wrap(data);
                      for (long position = at; buffer.hasRemaining(); ) {
                        position += out.write(buffer, position);
                      }
                      progress.update(done.addAndGet(data.length), total);
                    }
                  } finally {
                    inFlight.release(chunk.length());
                  }
                };
            java.util.Queue<ChunkTransfer> copied =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
            List<Callable<Void>> pieces = new ArrayList<>();
            for (Map.Entry<String, List<Long>> entry : offsets.entrySet()) {
              ChunkTransfer chunk = transfers.get(entry.getKey());
              pieces.add(
                  () -> {
                    if (copyLocal(reusable.locate(chunk.hash()), chunk, entry.getValue(), out)) {
                      copied.add(chunk);
                      progress.update(
                          done.addAndGet((long) chunk.length() * entry.getValue().size()), total);
                    } else {
                      fetcher.fetch(chunk);
                    }
                    return null;
                  });
            }
            runAll(pieces);
            // The copies are checked against their hashes while the file's bytes go to disk; one
            // that does not match (its source changed since it was seen) is fetched instead, and
            // the file flushed again. Nothing replaces the target before every chunk matched.
            AtomicBoolean refetched = new AtomicBoolean();
            List<Callable<Void>> checks = new ArrayList<>();
            for (ChunkTransfer chunk : copied) {
              checks.add(
                  () -> {
                    if (!matches(out, chunk, offsets.get(chunk.hash()))) {
                      refetched.set(true);
                      fetcher.fetch(chunk);
                    }
                    return null;
                  });
            }
            checks.add(
                () -> {
                  out.force(true);
                  return null;
                });
            runAll(checks);
            if (refetched.get()) {
              out.force(true);
            }
          });
      List<ChunkInfo> chunks =
          manifest.chunks().stream().map(c -> new ChunkInfo(c.hash(), c.length())).toList();
      return new Downloaded(
          manifest.file(), chunks, offsets.size(), fetched.get(), fetchedBytes.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fills a download's temporary file and flushes it to disk. */
  private interface Filler {
    void fill(FileChannel out) throws IOException;
  }

  /**
   * Replaces {@code destination}'s file the one way every download does: {@code filler} writes and
   * flushes a hidden temporary file beside it, which takes the target's permissions and moves into
   * place atomically once the destination's check agrees. Until then the target is untouched; a
   * temporary file left by a failure is deleted.
   */
  private static void replace(Destination destination, Filler filler) throws IOException {
    Path target = destination.file();
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".coffer-part");
    try {
      keepPermissions(target, tmp);
      try (FileChannel out =
          FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        filler.fill(out);
      }
      destination.beforeReplace().check();
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      if (destination.syncDirectory()) {
        syncDirectory(dir);
      }
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: a leftover .coffer-part file is harmless
        }
      }
    }
  }

  /**
   * Writes a small file received whole (see {@link ServerApi#contents}) to {@code destination}, as
   * {@link #download} would: {@code data} must be exactly {@code chunks}, each matching its hash,
   * and they must add up to {@code contentHash} before anything is written.
   */
  public void place(
      byte[] data, List<ChunkInfo> chunks, String contentHash, Destination destination) {
    try {
      int at = 0;
      for (ChunkInfo chunk : chunks) {
        if (chunk.length() < 0
            || at + (long) chunk.length() > data.length
            || !Sha256.of(data, at, chunk.length()).hex().equals(chunk.hash())) {
          throw new IOException("the server sent bytes that do not match their chunks");
        }
        at += chunk.length();
      }
      if (at != data.length || !LocalChunks.ofList(chunks).contentHash().equals(contentHash)) {
        throw new IOException("the server sent bytes that do not match the file's content hash");
      }
      replace(
          destination,
          out -> {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
              out.write(buffer);
            }
            out.force(true);
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A temporary file is private to its owner; the file it becomes gets the permissions of the file
   * it replaces, or the usual ones for a new file.
   */
  private static void keepPermissions(Path target, Path tmp) {
    try {
      Files.setPosixFilePermissions(
          tmp,
          Files.exists(target)
              ? Files.getPosixFilePermissions(target)
              : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: the default applies
    }
  }

  /** The manifest must add up to the file's content hash, or it is not this file's manifest. */
  private static void checkContentHash(FileManifest manifest) throws IOException {
    String actual =
        LocalChunks.ofList(
                manifest.chunks().stream().map(c -> new ChunkInfo(c.hash(), c.length())).toList())
            .contentHash();
    if (!actual.equals(manifest.file().contentHash())) {
      throw new IOException("the server's manifest does not match the file's content hash");
    }
  }

  /** Fetches a chunk from the server into each of its places in the file being written. */
  private interface Fetcher {
    void fetch(ChunkTransfer chunk) throws IOException, InterruptedException;
  }

  /**
   * Copies a chunk from a local file to each of its offsets in {@code out}, file to file inside the
   * kernel, unverified ({@link #matches} checks it after): false when there is no such local chunk,
   * or the file is gone, shorter or unreadable now.
   */
  private static boolean copyLocal(
      Span span, ChunkTransfer chunk, List<Long> offsets, FileChannel out) {
    if (span == null || span.length() != chunk.length()) {
      return false;
    }
    try (FileChannel in = FileChannel.open(span.file(), StandardOpenOption.READ)) {
      for (long at : offsets) {
        in.position(span.offset());
        for (long copied = 0; copied < chunk.length(); ) {
          long n = out.transferFrom(in, at + copied, chunk.length() - copied);
          if (n <= 0) {
            return false;
          }
          copied += n;
        }
      }
      return true;
    } catch (IOException e) {
      // The source is gone, unreadable or no longer a file: the chunk is fetched instead (and a
      // problem writing the new file shows again there, where it is not swallowed).
      return false;
    }
  }

  /** Whether each of the chunk's places in {@code file} holds bytes with the chunk's hash. */
  private static boolean matches(FileChannel file, ChunkTransfer chunk, List<Long> offsets)
      throws IOException {
    byte[] hash = Sha256.parse(chunk.hash()).bytes();
    for (long at : offsets) {
      if (!MessageDigest.isEqual(hash, hashOf(file, at, chunk.length()))) {
        return false;
      }
    }
    return true;
  }

  /** A reading buffer per worker thread, as large as a chunk can be: reused, never garbage. */
  private static final ThreadLocal<ByteBuffer> READ_BACK =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(ChunkerConfig.DEFAULT.maxSize()));

  private static byte[] hashOf(FileChannel file, long position, int length) throws IOException {
    ByteBuffer buffer = READ_BACK.get().clear().limit(length);
    while (buffer.hasRemaining()) {
      if (file.read(buffer, position + buffer.position()) < 0) {
        return new byte[0];
      }
    }
    MessageDigest digest = Sha256.newDigest();
    digest.update(buffer.array(), 0, length);
    return digest.digest();
  }

  private byte[] fetchChunk(ChunkTransfer chunk) throws IOException {
    byte[] data = api.fetchChunk(chunk);
    if (data.length != chunk.length()
        || !Sha256.parse(chunk.hash()).matches(Sha256.of(data).bytes())) {
      throw new IOException("chunk " + chunk.hash() + " arrived damaged; nothing was replaced");
    }
    return data;
  }

  /**
   * Runs {@code tasks} side by side: all but the last on the workers, the last in the calling
   * thread, which then waits for the rest. A file of one chunk is fetched and flushed without a
   * hand-off, so many small downloads at once are not queued behind the few transfer workers.
   */
  private void runAll(List<Callable<Void>> tasks) throws IOException {
    if (tasks.isEmpty()) {
      return;
    }
    List<Future<?>> futures = new ArrayList<>();
    for (Callable<Void> task : tasks.subList(0, tasks.size() - 1)) {
      futures.add(workers.submit(task));
    }
    try {
      tasks.getLast().call();
    } catch (IOException | RuntimeException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (Exception e) {
      futures.forEach(f -> f.cancel(true));
      throw new IOException(e.getMessage(), e);
    }
    awaitAll(futures);
  }

  private static void awaitAll(List<Future<?>> futures) throws IOException {
    try {
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
