package coffer.client;

import coffer.core.api.AccountInfo;
import coffer.core.api.BatchOperation;
import coffer.core.api.BatchRequest;
import coffer.core.api.BatchResult;
import coffer.core.api.ChangeSignal;
import coffer.core.api.ChangesPage;
import coffer.core.api.ChunkTransfer;
import coffer.core.api.Contents;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The Coffer HTTP API, for the CLI and the sync engine. Thread-safe. */
public final class CofferClient implements ServerApi {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setDefaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));

  /** Daemon threads for hashing and parallel transfers; shared by every request of this client. */
  private final ExecutorService workers =
      Executors.newFixedThreadPool(
          Math.max(4, Runtime.getRuntime().availableProcessors()),
          Thread.ofPlatform().daemon().name("coffer-worker-", 0).factory());

  private final URI server;
  private final String token;
  private final HttpClient http;
  private final Transfers transfers = new Transfers(this, workers);

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

  @Override
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

  @Override
  public AccountInfo account() {
    return send(request("/api/v1/account").GET(), AccountInfo.class);
  }

  @Override
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

  /** Admin: up to {@code limit} accounts after the username {@code after} (null: the first). */
  public List<AccountInfo> adminUsers(String after, int limit) {
    return List.of(
        send(
            request(
                    "/api/v1/admin/users?limit="
                        + limit
                        + (after == null ? "" : "&after=" + encode(after)))
                .GET(),
            AccountInfo[].class));
  }

  /** Admin: a user's signed-in devices. */
  public List<DeviceInfo> adminDevices(String username) {
    return List.of(
        send(
            request("/api/v1/admin/users/" + encode(username) + "/devices").GET(),
            DeviceInfo[].class));
  }

  /** Admin: signs one of a user's devices out. */
  public void adminRevokeDevice(String username, String deviceId) {
    send(
        request("/api/v1/admin/users/" + encode(username) + "/devices/" + encode(deviceId))
            .DELETE(),
        Void.class);
  }

  /** Admin: reads back and verifies every stored chunk (may take long on a large store). */
  public coffer.core.api.ScrubReport adminScrub() {
    return send(
        request("/api/v1/admin/scrub")
            .timeout(java.time.Duration.ofHours(24))
            .POST(HttpRequest.BodyPublishers.noBody()),
        coffer.core.api.ScrubReport.class);
  }

  /** Admin: checks the metadata against its rules and the blob store. */
  public coffer.core.api.FsckReport adminFsck() {
    return send(
        request("/api/v1/admin/fsck")
            .timeout(java.time.Duration.ofHours(24))
            .POST(HttpRequest.BodyPublishers.noBody()),
        coffer.core.api.FsckReport.class);
  }

  /** Admin: writes or brings up to date a backup in {@code path} on the server's machine. */
  public coffer.core.api.BackupReport adminBackup(String path) {
    return send(
        request("/api/v1/admin/backup")
            .timeout(java.time.Duration.ofHours(24))
            .header("Content-Type", "application/json")
            .POST(json(new coffer.core.api.BackupRequest(path))),
        coffer.core.api.BackupReport.class);
  }

  /** Admin: a user's storage use and quota. */
  public coffer.core.api.StorageUsage adminQuota(String username) {
    return send(
        request("/api/v1/admin/users/" + encode(username) + "/quota").GET(),
        coffer.core.api.StorageUsage.class);
  }

  /** Admin: sets a user's quota in bytes (null: none). */
  public coffer.core.api.StorageUsage adminSetQuota(String username, Long bytes) {
    if (bytes == null) {
      return send(
          request("/api/v1/admin/users/" + encode(username) + "/quota").DELETE(),
          coffer.core.api.StorageUsage.class);
    }
    return send(
        request("/api/v1/admin/users/" + encode(username) + "/quota")
            .header("Content-Type", "application/json")
            .PUT(json(new coffer.core.api.QuotaRequest(bytes))),
        coffer.core.api.StorageUsage.class);
  }

  /** Signs a device out: its token stops working at once. */
  public void revokeDevice(String deviceId) {
    send(request("/api/v1/auth/devices/" + encode(deviceId)).DELETE(), Void.class);
  }

  /** One page of the change feed after {@code cursor} (null: start with a snapshot). */
  @Override
  public ChangesPage changes(String cursor) {
    return send(
        request("/api/v1/changes" + (cursor == null ? "" : "?cursor=" + encode(cursor))).GET(),
        ChangesPage.class);
  }

  /** Waits up to {@code timeout} for a change after {@code cursor}; true when one came. */
  @Override
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
  @Override
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
    return transfers.put(local, target, progress, null);
  }

  /** Downloads a file's current revision to {@code target}: see {@link Transfers#download}. */
  public FileMetadata download(FileMetadata file, Path target, Progress progress) {
    return transfers
        .download(
            file.id(),
            null,
            new Transfers.Destination(target, Transfers.ChunkSource.NONE, () -> {}, true),
            progress)
        .file();
  }

  @Override
  public UploadSession startUpload(UploadRequest request) {
    return send(post("/api/v1/uploads", request), UploadSession.class);
  }

  @Override
  public boolean putChunk(ChunkTransfer transfer, byte[] data) throws IOException {
    BulkHttp.Response response =
        BulkHttp.put(server.resolve(transfer.url()), transfer.headers(), data);
    if (response.status() == 403) {
      return false;
    }
    if (response.status() >= 300) {
      throw problem(response.status(), response.body());
    }
    return true;
  }

  @Override
  public FileMetadata commitUpload(String uploadId) {
    return send(
        request("/api/v1/uploads/" + encode(uploadId) + "/commit")
            .POST(HttpRequest.BodyPublishers.noBody()),
        FileMetadata.class);
  }

  @Override
  public FileManifest manifest(String id, String revision) {
    return send(
        request(
                "/api/v1/files/"
                    + encode(id)
                    + "/manifest"
                    + (revision == null ? "" : "?revision=" + encode(revision)))
            .GET(),
        FileManifest.class);
  }

  @Override
  public void contents(List<Contents.Ref> files, Contents.Sink sink) throws IOException {
    Map<String, String> headers = new java.util.HashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/octet-stream");
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    BulkHttp.Response response =
        BulkHttp.post(
            server.resolve("/api/v1/contents"),
            headers,
            JSON.writeValueAsBytes(new Contents.Request(files)),
            in -> readFrames(in, sink));
    if (response.status() >= 300) {
      throw problem(response.status(), response.body());
    }
  }

  /** The longest header line a contents frame may have. */
  private static final int MAX_FRAME_HEADER = 64 << 10;

  /** Reads contents frames (see {@link Contents}) until the answer ends, each to {@code sink}. */
  static void readFrames(java.io.InputStream body, Contents.Sink sink) throws IOException {
    java.io.InputStream in = new java.io.BufferedInputStream(body, 64 << 10);
    for (byte[] line = headerLine(in); line != null; line = headerLine(in)) {
      Contents.Header header;
      try {
        header = JSON.readValue(line, Contents.Header.class);
      } catch (IOException e) {
        throw new IOException("the server's contents answer is malformed: " + e.getMessage(), e);
      }
      byte[] data = null;
      if (header.problem() == null) {
        Long size = header.size();
        if (header.id() == null || size == null || size < 0 || size > Contents.MAX_FILE_SIZE) {
          throw new IOException("the server's contents answer has a malformed frame");
        }
        data = in.readNBytes(size.intValue());
        if (data.length != size) {
          throw new IOException("the server's contents answer ended inside a file");
        }
      }
      sink.accept(header, data);
    }
  }

  /** The next frame's header line without its newline, or null at a clean end of the answer. */
  private static byte[] headerLine(java.io.InputStream in) throws IOException {
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new IOException("the server's contents answer ended inside a frame header");
      }
      if (line.size() >= MAX_FRAME_HEADER) {
        throw new IOException("the server's contents answer has an overlong frame header");
      }
      line.write(b);
    }
    return line.toByteArray();
  }

  @Override
  public byte[] fetchChunk(ChunkTransfer chunk) throws IOException {
    BulkHttp.Response response = BulkHttp.get(server.resolve(chunk.url()), chunk.headers());
    if (response.status() != 200) {
      throw problem(response.status(), response.body());
    }
    return response.body();
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

  /** A request refused for going too fast is tried again this often, as the server says when. */
  private static final int RATE_RETRIES = 3;

  /** A longer wait than this is not sat out: the refusal goes to the caller. */
  private static final long LONGEST_RETRY_AFTER_SECONDS = 30;

  private <T> T send(HttpRequest.Builder builder, Class<T> type) {
    try {
      HttpRequest request = builder.build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      for (int retry = 0; retry < RATE_RETRIES && response.statusCode() == 429; retry++) {
        long seconds = retryAfterSeconds(response);
        if (seconds < 0) {
          break;
        }
        // The wait asked for, and a little more at random, so refused clients do not return
        // together.
        Thread.sleep(
            seconds * 1000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(250));
        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      }
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

  /**
   * The whole seconds a 429 asks the client to wait, or -1 when it does not say or asks too much.
   */
  private static long retryAfterSeconds(HttpResponse<?> response) {
    try {
      long seconds =
          Long.parseLong(response.headers().firstValue("Retry-After").orElse("-1").strip());
      return seconds >= 0 && seconds <= LONGEST_RETRY_AFTER_SECONDS ? seconds : -1;
    } catch (NumberFormatException dateOrJunk) {
      return -1;
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
