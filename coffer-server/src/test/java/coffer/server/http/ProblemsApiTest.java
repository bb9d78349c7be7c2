package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.Multipart;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors are RFC 9457 problems, and a client's mistake is never answered as a server failure. */
class ProblemsApiTest {

  @TempDir static Path tmp;
  static TestServer server;
  Account alice;

  @BeforeAll
  static void start() {
    server = TestServer.start(tmp);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void signIn() {
    alice = server.newUniqueAccount("alice");
  }

  @Nested
  class UnknownRoutes {

    @Test
    void an_unknown_api_route_is_a_404_problem() {
      Reply reply = alice.get("/api/v1/no-such-thing").expectProblem(404, "not-found");

      assertThat(reply.json().path("instance").asText()).isEqualTo("/api/v1/no-such-thing");
      assertThat(reply.json().path("title").asText()).isNotBlank();
    }

    @Test
    void a_route_outside_the_api_is_a_404_problem() {
      server.get("/nothing/here").expectProblem(404, "not-found");
    }

    @Test
    void health_needs_no_token() {
      assertThat(server.get("/api/v1/health").expect(200).json().path("status").asText())
          .isEqualTo("ok");
    }
  }

  @Nested
  class ClientMistakes {

    @Test
    void no_client_mistake_is_answered_with_a_server_error() {
      String file = alice.uploaded("/f.txt", new byte[] {1, 2, 3}).path("id").asText();
      String folder = alice.folder("/d").path("id").asText();
      Map<String, Supplier<Reply>> mistakes = new LinkedHashMap<>();
      mistakes.put(
          "signup with no body", () -> server.json("POST", "/api/v1/auth/signup", null, ""));
      mistakes.put(
          "signup with a JSON string",
          () -> server.json("POST", "/api/v1/auth/signup", null, "\"x\""));
      mistakes.put(
          "signup with a huge password",
          () -> server.signup(TestServer.uniqueName("x"), "p".repeat(2000)));
      mistakes.put(
          "login with wrong types",
          () ->
              server.json("POST", "/api/v1/auth/login", null, "{\"username\":{},\"password\":1}"));
      mistakes.put(
          "logout without token", () -> server.json("POST", "/api/v1/auth/logout", null, null));
      mistakes.put("revoke an unknown device", () -> alice.delete("/api/v1/auth/devices/nope"));
      mistakes.put("download a folder", () -> alice.get("/api/v1/files/" + folder));
      mistakes.put("download an unknown id", () -> alice.get("/api/v1/files/nope"));
      mistakes.put(
          "download an id with odd characters", () -> alice.get("/api/v1/files/%27%22;--%20x"));
      mistakes.put(
          "download with a range past the end",
          () -> alice.get("/api/v1/files/" + file, "Range", "bytes=99-100"));
      mistakes.put(
          "download with a reversed range past the end",
          () -> alice.get("/api/v1/files/" + file, "Range", "bytes=9-1"));
      mistakes.put(
          "list the children of a file", () -> alice.get("/api/v1/files/" + file + "/children"));
      mistakes.put("lookup without a path", () -> alice.get("/api/v1/lookup"));
      mistakes.put("lookup with dot-dot", () -> alice.lookup("/../../etc/passwd"));
      mistakes.put("lookup with a control character", () -> alice.lookup("/a\u0001b"));
      mistakes.put("lookup below a file", () -> alice.lookup("/f.txt/x"));
      mistakes.put("patch without a body", () -> alice.patch("/api/v1/files/" + file, null));
      mistakes.put(
          "patch with malformed JSON", () -> alice.patch("/api/v1/files/" + file, "{\"name\":"));
      mistakes.put("patch with JSON null", () -> alice.patch("/api/v1/files/" + file, "null"));
      mistakes.put(
          "patch to the root path",
          () -> alice.patch("/api/v1/files/" + file, Map.of("path", "/")));
      mistakes.put(
          "patch into a file",
          () -> alice.patch("/api/v1/files/" + file, Map.of("parentId", file)));
      mistakes.put("patch the root", () -> alice.patch("/api/v1/files/root", Map.of("name", "x")));
      mistakes.put("delete the root", () -> alice.delete("/api/v1/files/root"));
      mistakes.put("delete an unknown id", () -> alice.delete("/api/v1/files/nope"));
      mistakes.put("folder without a body", () -> alice.post("/api/v1/folders", null));
      mistakes.put("folder with an empty object", () -> alice.post("/api/v1/folders", "{}"));
      mistakes.put(
          "folder at the root path", () -> alice.post("/api/v1/folders", Map.of("path", "/")));
      mistakes.put(
          "folder below a file",
          () -> alice.post("/api/v1/folders", Map.of("path", "/f.txt/x", "parents", true)));
      mistakes.put(
          "folder in an unknown parent",
          () -> alice.post("/api/v1/folders", Map.of("parentId", "nope", "name", "x")));
      mistakes.put(
          "folder with a parentId but no name",
          () -> alice.post("/api/v1/folders", Map.of("parentId", "root")));
      mistakes.put(
          "folder with a bad name",
          () -> alice.post("/api/v1/folders", Map.of("parentId", "root", "name", "a\u0000b")));
      mistakes.put("upload without a body", () -> alice.post("/api/v1/files", null));
      mistakes.put("upload as JSON", () -> alice.post("/api/v1/files", Map.of("path", "/x")));
      mistakes.put("upload over a folder", () -> alice.upload("/d", new byte[] {1}));
      mistakes.put(
          "upload with a parentId and no name",
          () -> alice.upload(Map.of("parentId", "root"), new byte[] {1}));
      mistakes.put(
          "upload with an empty multipart body",
          () ->
              alice.send(
                  alice
                      .request("/api/v1/files")
                      .header("Content-Type", "multipart/form-data; boundary=b")
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build()));
      mistakes.put(
          "upload with an over-long boundary",
          () ->
              alice.send(
                  alice
                      .request("/api/v1/files")
                      .header("Content-Type", "multipart/form-data; boundary=" + "b".repeat(71))
                      .POST(HttpRequest.BodyPublishers.ofString("x"))
                      .build()));
      mistakes.put(
          "upload whose part has no name",
          () ->
              alice.send(
                  alice
                      .request("/api/v1/files")
                      .header("Content-Type", "multipart/form-data; boundary=b")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n"))
                      .build()));
      mistakes.put(
          "upload whose part headers never end",
          () ->
              alice.send(
                  alice
                      .request("/api/v1/files")
                      .header("Content-Type", "multipart/form-data; boundary=b")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n"))
                      .build()));
      mistakes.put(
          "upload with a path of dots",
          () -> alice.upload(new Multipart().file("file", "..", new byte[] {1})));
      mistakes.put(
          "upload with a file name with a slash",
          () -> alice.upload(new Multipart().file("file", "../../etc/passwd", new byte[] {1})));
      mistakes.put(
          "an unsupported method",
          () ->
              alice.send(
                  alice
                      .request("/api/v1/files/" + file)
                      .PUT(HttpRequest.BodyPublishers.ofString("x"))
                      .build()));
      mistakes.put(
          "a body that is too large for JSON",
          () ->
              server.json(
                  "POST",
                  "/api/v1/auth/login",
                  null,
                  "{\"username\":\"" + "x".repeat(2 << 20) + "\"}"));

      // Mistakes that are not errors at all, or that Jetty refuses before the API sees them:
      // whatever the answer, it must not be a server failure.
      Map<String, Supplier<Reply>> oddities = new LinkedHashMap<>();
      oddities.put("an id with an encoded NUL", () -> alice.get("/api/v1/files/%00"));
      oddities.put("a path with an encoded slash", () -> alice.get("/api/v1/files/a%2Fb/metadata"));
      oddities.put(
          "a range beyond a long",
          () -> alice.get("/api/v1/files/" + file, "Range", "bytes=-9223372036854775808"));
      oddities.put(
          "a range of the smallest long",
          () -> alice.get("/api/v1/files/" + file, "Range", "bytes=--9223372036854775808"));
      oddities.put(
          "a range with spaces",
          () -> alice.get("/api/v1/files/" + file, "Range", "bytes= 1 - 2 "));
      oddities.put("a lookup of the root", () -> alice.lookup("/"));
      oddities.put("an empty patch", () -> alice.patch("/api/v1/files/" + file, "{}"));

      List<String> wrong = new ArrayList<>();
      oddities.forEach(
          (what, request) -> {
            Reply reply = request.get();
            if (reply.status() >= 500) {
              wrong.add(what + ": " + reply);
            }
          });
      mistakes.forEach(
          (what, request) -> {
            Reply reply = request.get();
            String type = reply.contentType();
            if (reply.status() < 400
                || reply.status() >= 500
                || type == null
                || !type.startsWith("application/problem+json")) {
              wrong.add(what + ": " + reply);
            }
          });
      assertThat(wrong).as("answers that are not a 4xx problem").isEmpty();
      assertThat(alice.download(file)).containsExactly(1, 2, 3);
    }

    @Test
    void a_problem_in_a_non_ascii_name_is_valid_utf8_json() {
      alice.folder("/Café");

      Reply reply =
          alice.post("/api/v1/folders", Map.of("path", "/café")).expectProblem(409, "name-taken");

      assertThat(reply.detail()).contains("'Café'");
    }
  }

  @Nested
  class EarlyRefusals {

    @Test
    void a_request_refused_before_its_body_was_read_still_gets_its_answer() {
      byte[] body = new byte[512 * 1024];
      for (int i = 0; i < 20; i++) {
        server
            .send(
                server
                    .request("/api/v1/files")
                    .header("Content-Type", "multipart/form-data; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build())
            .expectProblem(401);
        alice
            .upload(new Multipart().json("fileMetadata", "{not json").file("file", "big.bin", body))
            .expectProblem(400, "malformed-json");
        alice.get("/api/v1/account").expect(200);
      }
    }

    @Test
    void a_request_refused_before_its_body_was_read_leaves_the_connection_usable()
        throws IOException {
      try (Socket socket = new Socket(server.url().getHost(), server.url().getPort())) {
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] body = new byte[200_000];
        out.write(
            ("POST /api/v1/files HTTP/1.1\r\nHost: test\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, 1000);
        out.flush();
        out.write(body, 1000, body.length - 1000);
        out.flush();

        RawResponse refused = RawResponse.read(in);

        assertThat(refused.status()).isEqualTo(401);
        if (!refused.closes()) {
          out.write(
              ("GET /api/v1/health HTTP/1.1\r\nHost: test\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          assertThat(RawResponse.read(in).status()).isEqualTo(200);
        }
      }
    }

    @Test
    void a_client_waiting_for_100_continue_is_refused_without_sending_its_body()
        throws IOException {
      try (Socket socket = new Socket(server.url().getHost(), server.url().getPort())) {
        socket.setSoTimeout(20_000);
        socket
            .getOutputStream()
            .write(
                ("POST /api/v1/files HTTP/1.1\r\nHost: test\r\n"
                        + "Content-Type: multipart/form-data; boundary=b\r\n"
                        + "Expect: 100-continue\r\n"
                        + "Content-Length: 10485760\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

        RawResponse refused = RawResponse.read(socket.getInputStream());

        assertThat(refused.status()).as(refused.head()).isEqualTo(401);
      }
    }

    @Test
    void a_refused_body_too_large_to_skip_announces_that_the_connection_closes()
        throws IOException {
      try (Socket socket = new Socket(server.url().getHost(), server.url().getPort())) {
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        long length = 64L << 20;
        out.write(
            ("POST /api/v1/files HTTP/1.1\r\nHost: test\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: "
                    + length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 32; i++) {
          out.write(chunk);
        }
        out.flush();

        RawResponse refused = RawResponse.read(in);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.closes()).as("Connection: close in %s", refused.head()).isTrue();
      }
    }
  }

  /** The status line and headers of a response read off a raw socket, with its body skipped. */
  record RawResponse(int status, String head) {

    boolean closes() {
      return head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
    }

    static RawResponse read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the connection closed before a response: " + head);
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      int length = 0;
      for (String line : text.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).strip());
        }
      }
      in.readNBytes(length);
      return new RawResponse(Integer.parseInt(text.substring(9, 12)), text);
    }
  }
}
