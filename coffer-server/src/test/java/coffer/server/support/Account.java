package coffer.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A signed-in user on one device: every request carries its bearer token. */
public final class Account {

  private final TestServer server;
  private final String username;
  private final String token;
  private final String deviceId;

  Account(TestServer server, String username, String token, String deviceId) {
    this.server = server;
    this.username = username;
    this.token = token;
    this.deviceId = deviceId;
  }

  public String username() {
    return username;
  }

  public String token() {
    return token;
  }

  public String deviceId() {
    return deviceId;
  }

  public Reply get(String path, String... headerPairs) {
    String[] all = new String[headerPairs.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + token;
    System.arraycopy(headerPairs, 0, all, 2, headerPairs.length);
    return server.get(path, all);
  }

  public Reply post(String path, Object json) {
    return server.json("POST", path, token, json);
  }

  public Reply patch(String path, Object json) {
    return server.json("PATCH", path, token, json);
  }

  public Reply delete(String path) {
    return server.json("DELETE", path, token, null);
  }

  // --- files ---------------------------------------------------------------------------------

  /** Uploads {@code content} to {@code path} (no overwrite). */
  public Reply upload(String path, byte[] content) {
    return upload(Map.of("path", path), content);
  }

  /** Uploads {@code content} with the given {@code fileMetadata} (a map or raw JSON text). */
  public Reply upload(Object fileMetadata, byte[] content) {
    return upload(
        new Multipart()
            .json("fileMetadata", TestServer.toJson(fileMetadata))
            .file("file", "upload.bin", content));
  }

  /** Uploads {@code length} bytes streamed from {@code content} to {@code path}. */
  public Reply upload(String path, Supplier<InputStream> content, long length) {
    return upload(
        new Multipart()
            .json("fileMetadata", TestServer.toJson(Map.of("path", path)))
            .file("file", "upload.bin", content, length));
  }

  /** Posts a hand-built multipart body to {@code /api/v1/files}. */
  public Reply upload(Multipart body) {
    return server.send(
        server
            .request("/api/v1/files")
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", body.contentType())
            .POST(body.publisher())
            .build());
  }

  /** Uploads and returns the new file's metadata, failing unless it was created. */
  public JsonNode uploaded(String path, byte[] content) {
    return upload(path, content).expect(201).json();
  }

  /** Creates a folder by path and returns its metadata. */
  public JsonNode folder(String path) {
    return post("/api/v1/folders", Map.of("path", path)).expect(201).json();
  }

  /** Downloads a file's content, failing unless it is a 200. */
  public byte[] download(String id) {
    return get("/api/v1/files/" + id).expect(200).body();
  }

  /** Looks up a path; the reply is a 404 problem when nothing is there. */
  public Reply lookup(String path) {
    return get("/api/v1/lookup?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
  }

  /** The names of a folder's live children, in the server's order. */
  public List<String> childNames(String folderId) {
    JsonNode listing = get("/api/v1/files/" + folderId + "/children").expect(200).json();
    List<String> names = new ArrayList<>();
    for (JsonNode child : listing.path("children")) {
      names.add(child.path("name").asText());
    }
    assertThat(listing.path("folder").path("id").asText()).isNotBlank();
    return names;
  }

  /** An HTTP request builder already carrying this account's token. */
  public HttpRequest.Builder request(String path) {
    return server.request(path).header("Authorization", "Bearer " + token);
  }

  public Reply send(HttpRequest request) {
    return server.send(request);
  }
}
