package coffer.client;

import coffer.core.api.AccountInfo;
import coffer.core.api.BatchOperation;
import coffer.core.api.BatchRequest;
import coffer.core.api.BatchResult;
import coffer.core.api.ChangeSignal;
import coffer.core.api.ChangesPage;
import coffer.core.api.ChunkInfo;
import coffer.core.api.ChunkTransfer;
import coffer.core.api.CreateFolderRequest;
import coffer.core.api.CreateLinkRequest;
import coffer.core.api.Credentials;
import coffer.core.api.DeviceInfo;
import coffer.core.api.FileManifest;
import coffer.core.api.FileMetadata;
import coffer.core.api.FolderListing;
import coffer.core.api.LinkInfo;
import coffer.core.api.LoginResponse;
import coffer.core.api.MoveRequest;
import coffer.core.api.Problem;
import coffer.core.api.ShareRequest;
import coffer.core.api.SharedItem;
import coffer.core.api.Shares;
import coffer.core.api.TrashItem;
import coffer.core.api.UploadMetadata;
import coffer.core.api.UploadRequest;
import coffer.core.api.UploadSession;
import coffer.core.api.VersionInfo;
import coffer.core.chunk.ChunkerConfig;
import coffer.core.hash.Sha256;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The Coffer HTTP API, for the CLI and the sync engine. Thread-safe. */
public final class CofferClient {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setDefaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));

  /**
   * At most this many chunk bytes are on the wire at once: enough to keep the link busy, and an
   * interrupted upload never has to send more than this again.
   */
  private static final int MAX_IN_FLIGHT_BYTES = ChunkerConfig.DEFAULT.maxSize();

  private static final int MAX_DOWNLOAD_BYTES_IN_FLIGHT = 32 << 20;

  /** Daemon threads for hashing and parallel transfers; shared by every request of this client. */
  private final ExecutorService workers =
      Executors.newFixedThreadPool(
          Math.max(4, Runtime.getRuntime().availableProcessors()),
          Thread.ofPlatform().daemon().name("coffer-worker-", 0).factory());

  private final URI server;
  private final String token;
  private final HttpClient http;

  public CofferClient(URI server, String token) {
    this.server = normalize(server);
    this.token = token;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  public static CofferClient of(Session session) {
    return new CofferClient(URI.create(session.server()), session.token());
  }

  public URI server() {
    return server;
  }

  public AccountInfo signup(String username, String password) {
    return send(
        post("/api/v1/auth/signup", new Credentials(username, password, null)), AccountInfo.class);
  }

  public LoginResponse login(String username, String password, String device) {
    return send(
        post("/api/v1/auth/login", new Credentials(username, password, device)),
        LoginResponse.class);
  }

  public void logout() {
    send(request("/api/v1/auth/logout").POST(HttpRequest.BodyPublishers.noBody()), Void.class);
  }

  public AccountInfo account() {
    return send(request("/api/v1/account").GET(), AccountInfo.class);
  }

  public FileMetadata lookup(String path) {
    return send(request("/api/v1/lookup?path=" + encode(path)).GET(), FileMetadata.class);
  }

  public FolderListing list(String folderId) {
    return send(
        request("/api/v1/files/" + encode(folderId) + "/children").GET(), FolderListing.class);
  }

  public FileMetadata mkdir(String path, boolean parents) {
    return send(
        post("/api/v1/folders", new CreateFolderRequest(path, null, null, parents)),
        FileMetadata.class);
  }

  public FileMetadata move(String id, MoveRequest move) {
    return send(
        request("/api/v1/files/" + encode(id))
            .header("Content-Type", "application/json")
            .method("PATCH", json(move)),
        FileMetadata.class);
  }

  /** This account's signed-in devices, newest first, with where each stands in the change feed. */
  public List<DeviceInfo> devices() {
    return List.of(send(request("/api/v1/auth/devices").GET(), DeviceInfo[].class));
  }

  /** Signs a device out: its token stops working at once. */
  public void revokeDevice(String deviceId) {
    send(request("/api/v1/auth/devices/" + encode(deviceId)).DELETE(), Void.class);
  }

  /** One page of the change feed after {@code cursor} (null: start with a snapshot). */
  public ChangesPage changes(String cursor) {
    return send(
        request("/api/v1/changes" + (cursor == null ? "" : "?cursor=" + encode(cursor))).GET(),
        ChangesPage.class);
  }

  /** Waits up to {@code timeout} for a change after {@code cursor}; true when one came. */
  public boolean awaitChanges(String cursor, Duration timeout) {
    return send(
            request(
                    "/api/v1/changes/wait?timeout="
                        + timeout.toSeconds()
                        + "&cursor="
                        + encode(cursor))
                .timeout(timeout.plusSeconds(30))
                .GET(),
            ChangeSignal.class)
        .changed();
  }

  /** Applies operations in one request; one result each, in order. */
  public List<BatchResult> batch(List<BatchOperation> operations) {
    return send(post("/api/v1/batch", new BatchRequest(operations)), BatchResult.Page.class)
        .results();
  }

  /** A file's versions, newest first. */
  public List<VersionInfo> versions(String fileId) {
    return List.of(
        send(request("/api/v1/files/" + encode(fileId) + "/versions").GET(), VersionInfo[].class));
  }

  /** Makes an old version current again (as a new version). */
  public FileMetadata restore(String fileId, String revision) {
    return send(
        request("/api/v1/files/" + encode(fileId) + "/versions/" + encode(revision) + "/restore")
            .POST(HttpRequest.BodyPublishers.noBody()),
        FileMetadata.class);
  }

  /** What can be restored from the trash, most recently deleted first. */
  public List<TrashItem> trash() {
    return List.of(send(request("/api/v1/trash").GET(), TrashItem[].class));
  }

  public FileMetadata restoreFromTrash(String id) {
    return send(
        request("/api/v1/trash/" + encode(id) + "/restore")
            .POST(HttpRequest.BodyPublishers.noBody()),
        FileMetadata.class);
  }

  /** Purges one item, or the whole trash when {@code id} is null. */
  public void purge(String id) {
    send(
        request(id == null ? "/api/v1/trash" : "/api/v1/trash/" + encode(id)).DELETE(), Void.class);
  }

  /**
   * Makes a public link to a file or folder, expiring at {@code expiresAt} (null: never) and asking
   * for {@code password} (null: none). The answer is the only one that carries the link's URL.
   */
  public LinkInfo createLink(String fileId, Instant expiresAt, String password) {
    return send(
        post(
            "/api/v1/files/" + encode(fileId) + "/links",
            new CreateLinkRequest(expiresAt, password)),
        LinkInfo.class);
  }

  /** The live links to a file or folder, newest first, without their tokens. */
  public List<LinkInfo> links(String fileId) {
    return List.of(
        send(request("/api/v1/files/" + encode(fileId) + "/links").GET(), LinkInfo[].class));
  }

  /** Revokes a public link: it stops working at once. */
  public void revokeLink(String linkId) {
    send(request("/api/v1/links/" + encode(linkId)).DELETE(), Void.class);
  }

  public void delete(String id) {
    send(request("/api/v1/files/" + encode(id)).DELETE(), Void.class);
  }

  /** Shares a file or folder with users ({@code role}: viewer or editor), or changes their role. */
  public Shares share(String fileId, List<String> users, String role) {
    return send(
        post(
            "/api/v1/files/" + encode(fileId) + "/share",
            new ShareRequest(users, List.of(role), null)),
        Shares.class);
  }

  /** Who a file or folder is shared with, the owner first. */
  public Shares shares(String fileId) {
    return send(request("/api/v1/files/" + encode(fileId) + "/share").GET(), Shares.class);
  }

  /** Ends a user's share of a file or folder (anyone may end their own). */
  public void unshare(String fileId, String user) {
    send(
        request("/api/v1/files/" + encode(fileId) + "/share/" + encode(user)).DELETE(), Void.class);
  }

  /** What others share with this account, newest first. */
  public List<SharedItem> sharedWithMe() {
    return List.of(send(request("/api/v1/shared-with-me").GET(), SharedItem[].class));
  }

  /** Uploads a local file with the seed's {@code POST /files}, streaming it from disk. */
  public FileMetadata upload(Path local, UploadMetadata target, Progress progress) {
    try {
      String boundary = "coffer-" + UUID.randomUUID();
      byte[] head =
          ("--"
                  + boundary
                  + "\r\n"
                  + "Content-Disposition: form-data; name=\"fileMetadata\"\r\n"
                  + "Content-Type: application/json\r\n\r\n"
                  + JSON.writeValueAsString(target)
                  + "\r\n"
                  + "--"
                  + boundary
                  + "\r\n"
                  + "Content-Disposition: form-data; name=\"file\"; filename=\""
                  + local.getFileName().toString().replace("\"", "_")
                  + "\"\r\n"
                  + "Content-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8);
      byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
      long size = Files.size(local);
      long length = head.length + size + tail.length;
      HttpRequest.BodyPublisher body =
          HttpRequest.BodyPublishers.fromPublisher(
              HttpRequest.BodyPublishers.ofInputStream(
                  () -> {
                    try {
                      InputStream file =
                          new CountingInputStream(Files.newInputStream(local), size, progress);
                      return new SequenceInputStream(
                          Collections.enumeration(
                              List.of(
                                  new ByteArrayInputStream(head),
                                  file,
                                  new ByteArrayInputStream(tail))));
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }),
              length);
      return send(
          request("/api/v1/files")
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .POST(body),
          FileMetadata.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Uploads a local file with the chunked protocol: chunk and hash it here, ask the server which
   * chunks it lacks from this user, PUT just those in parallel through their presigned URLs, then
   * commit. Running it again after an interruption sends only the chunks that never arrived.
   */
  public PutResult putChunked(Path local, UploadMetadata target, Progress progress) {
    return putChunked(local, target, progress, null);
  }

  /**
   * Like {@link #putChunked(Path, UploadMetadata, Progress)}, with the file's chunks already known
   * (from a scan), so it is not hashed again; a chunk that no longer matches the file is refused by
   * the server and nothing is committed.
   */
  public PutResult putChunked(
      Path local, UploadMetadata target, Progress progress, List<ChunkInfo> known) {
    try {
      LocalChunks chunks =
          known == null ? LocalChunks.of(local, workers) : LocalChunks.ofList(known);
      int chunksSent = 0;
      long bytesSent = 0;
      for (int attempt = 1; ; attempt++) {
        UploadSession session =
            send(
                post(
                    "/api/v1/uploads",
                    new UploadRequest(
                        target.path(),
                        target.parentId(),
                        target.name(),
                        target.overwrite(),
                        target.baseRevision(),
                        chunks.infos())),
                UploadSession.class);
        boolean complete = sendChunks(local, chunks, session, progress);
        chunksSent += session.missing().size();
        bytesSent += session.missingBytes();
        if (complete) {
          try {
            FileMetadata file =
                send(
                    request("/api/v1/uploads/" + encode(session.uploadId()) + "/commit")
                        .POST(HttpRequest.BodyPublishers.noBody()),
                    FileMetadata.class);
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
                    BulkHttp.Response response =
                        BulkHttp.put(server.resolve(transfer.url()), transfer.headers(), data);
                    if (response.status() == 403) {
                      expired.set(true);
                      return null;
                    }
                    if (response.status() >= 300) {
                      throw problem(response.status(), response.body());
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
   * Downloads a file to {@code target}: its chunks are fetched in parallel through presigned URLs,
   * each verified against its hash, written into a temp file beside the target, which is fsynced
   * and then renamed into place. A failed or partial download never replaces what was at {@code
   * target}.
   */
  public FileMetadata download(FileMetadata file, Path target, Progress progress) {
    return download(
            file.id(), null, new Destination(target, ChunkSource.NONE, () -> {}, true), progress)
        .file();
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
   * Chunks a download may take from local files instead of the network: the bytes of the chunk with
   * this hash, already verified against it, or null when none is at hand.
   */
  public interface ChunkSource {
    ChunkSource NONE = hash -> null;

    byte[] find(String hash) throws IOException;
  }

  /** Makes the entries of a directory (renames into it) durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
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
   * target}, as {@link #download(FileMetadata, Path, Progress)} does, and runs {@code check} just
   * before the finished download replaces the target, so a caller can refuse to overwrite bytes
   * that changed meanwhile.
   */
  public Downloaded download(
      String id, String revision, Destination destination, Progress progress) {
    Path target = destination.file();
    ChunkSource reusable = destination.local();
    ReplaceCheck beforeReplace = destination.beforeReplace();
    FileManifest manifest =
        send(
            request(
                    "/api/v1/files/"
                        + encode(id)
                        + "/manifest"
                        + (revision == null ? "" : "?revision=" + encode(revision)))
                .GET(),
            FileManifest.class);
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
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
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".coffer-part");
      keepPermissions(target, tmp);
      AtomicLong done = new AtomicLong();
      AtomicLong fetchedBytes = new AtomicLong();
      java.util.concurrent.atomic.AtomicInteger fetched =
          new java.util.concurrent.atomic.AtomicInteger();
      Semaphore inFlight = new Semaphore(MAX_DOWNLOAD_BYTES_IN_FLIGHT);
      progress.update(0, total);
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        List<Future<?>> futures = new ArrayList<>();
        for (Map.Entry<String, List<Long>> entry : offsets.entrySet()) {
          ChunkTransfer chunk = transfers.get(entry.getKey());
          futures.add(
              workers.submit(
                  () -> {
                    inFlight.acquire(chunk.length());
                    try {
                      byte[] data = reusable.find(chunk.hash());
                      if (data == null) {
                        data = fetchChunk(chunk);
                        fetched.incrementAndGet();
                        fetchedBytes.addAndGet(data.length);
                      }
                      for (long at : entry.getValue()) {
                        ByteBuffer buffer = ByteBuffer.wrap(data);
                        for (long position = at; buffer.hasRemaining(); ) {
                          position += out.write(buffer, position);
                        }
                        progress.update(done.addAndGet(data.length), total);
                      }
                      return null;
                    } finally {
                      inFlight.release(chunk.length());
                    }
                  }));
        }
        awaitAll(futures);
        out.force(true);
      }
      beforeReplace.check();
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      if (destination.syncDirectory()) {
        syncDirectory(dir);
      }
      List<ChunkInfo> chunks =
          manifest.chunks().stream().map(c -> new ChunkInfo(c.hash(), c.length())).toList();
      return new Downloaded(
          manifest.file(), chunks, offsets.size(), fetched.get(), fetchedBytes.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
    MessageDigest digest = Sha256.newDigest();
    for (ChunkTransfer chunk : manifest.chunks()) {
      Sha256.parse(chunk.hash()).updateInto(digest);
    }
    String actual = Sha256.ofDigest(digest.digest()).hex();
    if (!actual.equals(manifest.file().contentHash())) {
      throw new IOException("the server's manifest does not match the file's content hash");
    }
  }

  private byte[] fetchChunk(ChunkTransfer chunk) throws IOException {
    BulkHttp.Response response = BulkHttp.get(server.resolve(chunk.url()), chunk.headers());
    if (response.status() != 200) {
      throw problem(response.status(), response.body());
    }
    byte[] data = response.body();
    if (data.length != chunk.length()
        || !Sha256.parse(chunk.hash()).matches(Sha256.of(data).bytes())) {
      throw new IOException("chunk " + chunk.hash() + " arrived damaged; nothing was replaced");
    }
    return data;
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

  // --- plumbing ---------------------------------------------------------------------------

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(server.resolve(path)).header("Accept", "application/json");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private HttpRequest.Builder post(String path, Object body) {
    return request(path).header("Content-Type", "application/json").POST(json(body));
  }

  private static HttpRequest.BodyPublisher json(Object body) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T> T send(HttpRequest.Builder builder, Class<T> type) {
    try {
      HttpResponse<byte[]> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      int status = response.statusCode();
      if (status >= 300) {
        throw problem(status, response.body());
      }
      if (type == Void.class || response.body().length == 0) {
        return null;
      }
      return JSON.readValue(response.body(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted", e));
    }
  }

  private static ApiException problem(int status, byte[] body) {
    Problem problem;
    try {
      problem = JSON.readValue(body, Problem.class);
    } catch (IOException | RuntimeException e) {
      problem =
          new Problem(
              "about:blank",
              "HTTP " + status,
              status,
              "The server answered HTTP " + status + ".",
              null);
    }
    return new ApiException(status, problem);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static URI normalize(URI uri) {
    String s = uri.toString();
    return URI.create(s.endsWith("/") ? s : s + "/");
  }
}
