package coffer.client;

import coffer.core.api.AccountInfo;
import coffer.core.api.ChunkTransfer;
import coffer.core.api.CreateFolderRequest;
import coffer.core.api.Credentials;
import coffer.core.api.FileMetadata;
import coffer.core.api.FolderListing;
import coffer.core.api.LoginResponse;
import coffer.core.api.MoveRequest;
import coffer.core.api.Problem;
import coffer.core.api.UploadMetadata;
import coffer.core.api.UploadRequest;
import coffer.core.api.UploadSession;
import coffer.core.chunk.Chunk;
import coffer.core.chunk.ChunkReader;
import coffer.core.chunk.ChunkerConfig;
import coffer.core.chunk.FastCdc;
import coffer.core.hash.Sha256;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
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

  private static final int PARALLEL_CHUNKS = 4;

  /**
   * At most this many chunk bytes are on the wire at once: enough to keep the link busy, and an
   * interrupted upload never has to send more than this again.
   */
  private static final int MAX_IN_FLIGHT_BYTES = ChunkerConfig.DEFAULT.maxSize();

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

  public void delete(String id) {
    send(request("/api/v1/files/" + encode(id)).DELETE(), Void.class);
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
    try {
      LocalChunks chunks = LocalChunks.of(local);
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
    try (FileChannel file = FileChannel.open(local, StandardOpenOption.READ);
        var pool = Executors.newFixedThreadPool(PARALLEL_CHUNKS)) {
      List<Future<?>> futures = new ArrayList<>();
      for (ChunkTransfer transfer : session.missing()) {
        futures.add(
            pool.submit(
                () -> {
                  inFlight.acquire(transfer.length());
                  try {
                    byte[] data = chunks.read(file, transfer.hash());
                    HttpRequest.Builder put =
                        HttpRequest.newBuilder(server.resolve(transfer.url()))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(data));
                    if (transfer.headers() != null) {
                      transfer.headers().forEach(put::header);
                    }
                    HttpResponse<byte[]> response =
                        http.send(put.build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() == 403) {
                      expired.set(true);
                      return null;
                    }
                    if (response.statusCode() >= 300) {
                      throw problem(response.statusCode(), response.body());
                    }
                    progress.update(done.addAndGet(data.length), total);
                    return null;
                  } finally {
                    inFlight.release(transfer.length());
                  }
                }));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          futures.forEach(f -> f.cancel(true));
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
    return !expired.get();
  }

  /**
   * Downloads a file to {@code target}: into a temp file beside it, verified against the server's
   * content hash, fsynced, then renamed into place. A failed or partial download never replaces
   * what was at {@code target}.
   */
  public FileMetadata download(FileMetadata file, Path target, Progress progress) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      HttpResponse<InputStream> response =
          http.send(
              request("/api/v1/files/" + encode(file.id())).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        try (InputStream body = response.body()) {
          throw problem(response.statusCode(), body.readAllBytes());
        }
      }
      String expected = response.headers().firstValue("X-Coffer-Content-Hash").orElse(null);
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".coffer-part");
      MessageDigest content = Sha256.newDigest();
      try (InputStream body = response.body();
          FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        InputStream tee = new TeeInputStream(body, out, file.size(), progress);
        ChunkReader chunks = new ChunkReader(tee, new FastCdc(ChunkerConfig.DEFAULT));
        for (Chunk chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
          chunk.hash().updateInto(content);
        }
        out.flush();
        channel.force(true);
      }
      String actual = Sha256.ofDigest(content.digest()).hex();
      if (expected != null && !expected.equals(actual)) {
        throw new IOException("the downloaded bytes do not match the file's content hash");
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted", e));
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
