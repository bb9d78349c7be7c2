package coffer.server.files;

import coffer.core.api.ChunkInfo;
import coffer.core.api.ChunkTransfer;
import coffer.core.api.Contents;
import coffer.core.api.FileManifest;
import coffer.core.api.FileMetadata;
import coffer.core.api.UploadRequest;
import coffer.core.api.UploadSession;
import coffer.core.error.BadRequestException;
import coffer.core.error.ConflictException;
import coffer.core.error.NotFoundException;
import coffer.core.hash.Sha256;
import coffer.core.manifest.ChunkRef;
import coffer.core.manifest.Manifest;
import coffer.core.model.Ids;
import coffer.server.auth.Principal;
import coffer.server.blob.BlobStore;
import coffer.server.blob.ChunkUrls;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.PendingUpload;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chunked, resumable uploads: the client names its chunks, the server answers which of them this
 * user has not stored yet with presigned PUT URLs for just those, the client sends them (each
 * verified against its hash before it is kept), then commits. Asking again after an interruption
 * returns only what is still missing.
 */
public final class UploadService {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(UploadService.class);

  /** How long presigned chunk URLs stay valid. */
  public static final Duration URL_TTL = Duration.ofMinutes(15);

  /** How long an untouched upload session lives. */
  public static final Duration SESSION_TTL = Duration.ofHours(24);

  private static final int MAX_CHUNKS = 1_000_000;

  /** How many chunks a commit claims from the object store at once. */
  private static final int CLAIMS_IN_FLIGHT = 8;

  private final MetadataStore store;
  private final BlobStore blobs;
  private final ChunkUrls urls;
  private final FileService files;
  private final Clock clock;
  private final int maxChunkBytes;
  private final AtomicLong bytesArrived = new AtomicLong();

  public UploadService(
      MetadataStore store,
      BlobStore blobs,
      ChunkUrls urls,
      FileService files,
      Clock clock,
      int maxChunkBytes) {
    this.store = store;
    this.blobs = blobs;
    this.urls = urls;
    this.files = files;
    this.clock = clock;
    this.maxChunkBytes = maxChunkBytes;
  }

  /** Opens a session and lists the chunks this user still has to send. */
  public UploadSession begin(Principal p, UploadRequest request) {
    if (request == null || request.chunks() == null) {
      throw new BadRequestException(
          "missing-chunks",
          "Give the file's target and its 'chunks' list (empty for an empty file).");
    }
    Manifest manifest = manifest(request.chunks());
    files.precheck(p, request.target(), manifest.size());
    Instant now = clock.instant();
    PendingUpload upload =
        new PendingUpload(
            Ids.newId(), p.userId(), request.target(), manifest, now, now.plus(SESSION_TTL));
    Map<Sha256, Integer> unique = new LinkedHashMap<>();
    manifest.chunks().forEach(c -> unique.putIfAbsent(c.hash(), c.length()));
    Set<Sha256> held =
        store.write(
            tx -> {
              tx.uploads().insert(upload);
              return tx.chunks().heldBy(p.userId(), unique);
            });
    Instant expires = now.plus(URL_TTL);
    List<ChunkTransfer> missing = new ArrayList<>();
    long missingBytes = 0;
    for (Map.Entry<Sha256, Integer> chunk : unique.entrySet()) {
      if (!held.contains(chunk.getKey()) || !blobs.exists(chunk.getKey())) {
        missing.add(urls.put(chunk.getKey(), chunk.getValue(), p.userId(), expires));
        missingBytes += chunk.getValue();
      }
    }
    return new UploadSession(upload.id(), upload.expiresAt(), missing, missingBytes);
  }

  /**
   * Stores one chunk sent through a presigned URL (already verified by the caller) and records that
   * the user holds it. The bytes are checked against the hash before anything is kept.
   */
  public void receive(String userId, Sha256 hash, int length, InputStream body) {
    if (length <= 0 || length > maxChunkBytes) {
      throw new BadRequestException(
          "chunk-too-large", "A chunk holds 1 to " + maxChunkBytes + " bytes, not " + length + ".");
    }
    blobs.put(hash, new CountingStream(body, bytesArrived), length);
    store.writeLazily(
        tx -> {
          tx.chunks().grant(userId, List.of(new ChunkRef(hash, length)), clock.instant());
          return null;
        });
  }

  /**
   * Commits a session whose chunks have all arrived. Chunks the user does not hold yet may be
   * waiting where the user sent them straight to the object store: those are claimed (moved into
   * place once the store vouches for their bytes) and granted before anything counts as missing.
   */
  public FileMetadata commit(Principal p, String uploadId) {
    Instant now = clock.instant();
    PendingUpload upload =
        store
            .read(tx -> tx.uploads().find(p.userId(), uploadId, now))
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "upload-not-found", "No such upload session (it may have expired)."));
    requireHeld(p.userId(), upload.manifest());
    FileMetadata committed;
    try {
      committed = files.commitUpload(p, upload.target(), upload.manifest());
    } catch (ConflictException e) {
      // A chunk the user holds may have been lost from the store and sent again directly.
      if (!e.type().equals("chunks-missing")
          || reclaimLost(p.userId(), distinct(upload.manifest())).isEmpty()) {
        throw e;
      }
      committed = files.commitUpload(p, upload.target(), upload.manifest());
    }
    store.write(
        tx -> {
          tx.uploads().delete(upload.id());
          return null;
        });
    return committed;
  }

  /**
   * Makes sure the user holds every chunk of {@code manifest}: chunks sent straight to the object
   * store are claimed first; any still missing is a {@code chunks-missing} conflict.
   */
  public void requireHeld(String userId, Manifest manifest) {
    Map<Sha256, Integer> unique = distinct(manifest);
    Set<Sha256> held = store.read(tx -> tx.chunks().heldBy(userId, unique));
    Map<Sha256, Integer> unheld = new LinkedHashMap<>(unique);
    unheld.keySet().removeAll(held);
    Set<Sha256> claimed = claim(userId, unheld);
    long absent = unheld.size() - claimed.size();
    if (absent > 0) {
      throw new ConflictException(
          "chunks-missing",
          absent + " chunk(s) of this upload have not been received; send them, then commit.");
    }
  }

  /** Parses a client's chunk list into a manifest, within this server's limits. */
  public Manifest manifestOf(List<ChunkInfo> chunks) {
    return manifest(chunks);
  }

  private static Map<Sha256, Integer> distinct(Manifest manifest) {
    Map<Sha256, Integer> unique = new LinkedHashMap<>();
    manifest.chunks().forEach(c -> unique.putIfAbsent(c.hash(), c.length()));
    return unique;
  }

  /** Claims the chunks the store no longer has, among those the user holds. */
  private Set<Sha256> reclaimLost(String userId, Map<Sha256, Integer> chunks) {
    Map<Sha256, Integer> lost = new LinkedHashMap<>();
    chunks.forEach(
        (hash, length) -> {
          if (!blobs.exists(hash)) {
            lost.put(hash, length);
          }
        });
    return claim(userId, lost);
  }

  /**
   * Claims chunks the user sent straight to the store, several at a time (each is a few round trips
   * to the store), records that the user holds the claimed ones and returns them.
   */
  private Set<Sha256> claim(String userId, Map<Sha256, Integer> chunks) {
    if (chunks.isEmpty()) {
      return Set.of();
    }
    Set<Sha256> claimed = ConcurrentHashMap.newKeySet();
    Throwable failure = null;
    Semaphore slots = new Semaphore(CLAIMS_IN_FLIGHT);
    try (var claims = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (Map.Entry<Sha256, Integer> chunk : chunks.entrySet()) {
        futures.add(
            claims.submit(
                () -> {
                  slots.acquire();
                  try {
                    if (urls.claim(chunk.getKey(), chunk.getValue(), userId)) {
                      claimed.add(chunk.getKey());
                      bytesArrived.addAndGet(chunk.getValue());
                    }
                  } finally {
                    slots.release();
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          failure = failure != null ? failure : e.getCause();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = failure != null ? failure : e;
        }
      }
    }
    // Granted even when another claim failed: those chunks have left staging for good.
    if (!claimed.isEmpty()) {
      List<ChunkRef> refs = claimed.stream().map(h -> new ChunkRef(h, chunks.get(h))).toList();
      Instant at = clock.instant();
      store.write(
          tx -> {
            tx.chunks().grant(userId, refs, at);
            return null;
          });
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure != null) {
      throw new IllegalStateException("claiming chunks failed: " + failure, failure);
    }
    return claimed;
  }

  /** A file's chunks with presigned GET URLs: of {@code revisionId}, or of the current one. */
  public FileManifest manifest(Principal p, String fileId, String revisionId) {
    FileContent content = files.content(p, fileId, revisionId);
    Instant expires = clock.instant().plus(URL_TTL);
    List<ChunkTransfer> chunks =
        content.manifest().chunks().stream()
            .map(c -> urls.get(c.hash(), c.length(), p.userId(), expires))
            .toList();
    return new FileManifest(content.metadata(), chunks);
  }

  /** How many files' metadata {@link #contents} reads at once, before sending their bytes. */
  private static final int CONTENTS_SLICE = 100;

  /** Where {@link #contents} sends each file: its bytes, or why this one cannot be sent. */
  public interface ContentSink {
    void file(FileMetadata file, List<ChunkInfo> chunks, byte[] data) throws java.io.IOException;

    void refused(String id, coffer.core.error.CofferException problem) throws java.io.IOException;
  }

  /**
   * The whole content of each file in {@code refs}, in order, to {@code sink}: one exchange for a
   * folder of small files instead of a manifest and a chunk each. A file that cannot be sent (not
   * found, not readable by {@code p}, a folder, larger than {@link Contents#MAX_FILE_SIZE}) is
   * refused on its own and the rest still go. Every chunk is read verified, as a download's is.
   */
  public void contents(Principal p, List<Contents.Ref> refs, ContentSink sink)
      throws java.io.IOException {
    if (refs == null || refs.isEmpty() || refs.size() > Contents.MAX_FILES) {
      throw new BadRequestException(
          "invalid-contents",
          "Ask for 1 to " + Contents.MAX_FILES + " files: {\"files\":[{\"id\":\"...\"}]}.");
    }
    for (Contents.Ref ref : refs) {
      if (ref == null || ref.id() == null || ref.id().isBlank()) {
        throw new BadRequestException("invalid-contents", "Each file asked for needs its 'id'.");
      }
    }
    // The metadata a slice at a time, in one read each; the bytes of each file after, outside it.
    for (int from = 0; from < refs.size(); from += CONTENTS_SLICE) {
      List<Contents.Ref> slice = refs.subList(from, Math.min(refs.size(), from + CONTENTS_SLICE));
      List<FileService.Found> found = files.contents(p, slice);
      for (int i = 0; i < slice.size(); i++) {
        send(slice.get(i), found.get(i), sink);
      }
    }
  }

  private void send(Contents.Ref ref, FileService.Found found, ContentSink sink)
      throws java.io.IOException {
    FileMetadata file;
    byte[] data;
    List<ChunkInfo> chunks;
    try {
      if (found.problem() != null) {
        throw found.problem();
      }
      FileContent content = found.content();
      file = content.metadata();
      if (file.size() > Contents.MAX_FILE_SIZE) {
        throw new coffer.core.error.TooLargeException(
            "too-large",
            "'"
                + file.name()
                + "' is larger than "
                + Contents.MAX_FILE_SIZE
                + " bytes; fetch it through its manifest.");
      }
      data = new byte[(int) file.size()];
      int at = 0;
      for (ChunkRef chunk : content.manifest().chunks()) {
        byte[] bytes = blobs.read(chunk.hash());
        if (at + bytes.length > data.length) {
          throw new coffer.core.error.StorageException(
              "manifest-mismatch", "the chunks of " + file.id() + " exceed its size");
        }
        System.arraycopy(bytes, 0, data, at, bytes.length);
        at += bytes.length;
      }
      if (at != data.length) {
        throw new coffer.core.error.StorageException(
            "manifest-mismatch", "the chunks of " + file.id() + " fall short of its size");
      }
      chunks =
          content.manifest().chunks().stream()
              .map(c -> new ChunkInfo(c.hash().hex(), c.length()))
              .toList();
    } catch (coffer.core.error.CofferException e) {
      if (e instanceof coffer.core.error.StorageException) {
        // Not the asker's doing: kept in the log, as any failed download is.
        LOG.error("contents: cannot send {}: {}", ref.id(), e.getMessage());
      }
      sink.refused(ref.id(), e);
      return;
    }
    sink.file(file, chunks, data);
  }

  /**
   * Reads one chunk, verified, for a presigned GET signed for {@code userId}, who must still be
   * able to read it: a URL handed out before a share ended stops working with it.
   */
  public byte[] chunk(String userId, Sha256 hash) {
    boolean readable =
        store.read(
            tx ->
                tx.users()
                    .byId(userId)
                    .map(
                        u -> {
                          List<String> namespaces =
                              Access.namespaces(tx, Principal.of(u)).stream()
                                  .map(Access.Grant::namespaceId)
                                  .toList();
                          return tx.chunks().readableBy(hash, userId, namespaces);
                        })
                    .orElse(false));
    if (!readable) {
      throw new coffer.core.error.ForbiddenException(
          "access-ended", "You can no longer read this; ask for the file again.");
    }
    return blobs.read(hash);
  }

  /**
   * Chunk bytes that arrived through presigned PUTs since start (for tests and metrics): through
   * the server's own URLs, every byte read, including those of chunks that were cut off or
   * rejected; through an object store's, the bytes of each chunk claimed at commit.
   */
  public long bytesArrived() {
    return bytesArrived.get();
  }

  /** Adds every byte read to a counter. */
  private static final class CountingStream extends java.io.FilterInputStream {
    private final AtomicLong counter;

    CountingStream(InputStream in, AtomicLong counter) {
      super(in);
      this.counter = counter;
    }

    @Override
    public int read() throws java.io.IOException {
      int b = in.read();
      if (b >= 0) {
        counter.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        counter.addAndGet(n);
      }
      return n;
    }
  }

  private Manifest manifest(List<ChunkInfo> chunks) {
    if (chunks.size() > MAX_CHUNKS) {
      throw new BadRequestException(
          "too-many-chunks", "A file can have at most " + MAX_CHUNKS + " chunks.");
    }
    List<ChunkRef> refs = new ArrayList<>(chunks.size());
    for (ChunkInfo chunk : chunks) {
      if (chunk == null || chunk.length() <= 0 || chunk.length() > maxChunkBytes) {
        throw new BadRequestException(
            "invalid-chunk",
            "Each chunk needs a hash and a length of 1 to " + maxChunkBytes + " bytes.");
      }
      refs.add(new ChunkRef(Sha256.parse(chunk.hash()), chunk.length()));
    }
    return new Manifest(refs);
  }
}
