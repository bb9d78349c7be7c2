package coffer.client;

import coffer.core.api.AccountInfo;
import coffer.core.api.CreateFolderRequest;
import coffer.core.api.Credentials;
import coffer.core.api.FileMetadata;
import coffer.core.api.FolderListing;
import coffer.core.api.LoginResponse;
import coffer.core.api.MoveRequest;
import coffer.core.api.Problem;
import coffer.core.api.UploadMetadata;
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
import java.util.Collections;
import java.util.List;
import java.util.UUID;

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
