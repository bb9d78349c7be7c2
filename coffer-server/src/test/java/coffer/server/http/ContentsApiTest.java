package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.Bytes;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/contents}: many small files whole, one frame each. */
class ContentsApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static TestServer server;
  Account alice;

  @BeforeAll
  static void start() {
    server = TestServer.start(tmp.resolve("server"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void signIn() {
    alice = server.newUniqueAccount("alice");
  }

  /** One frame of the answer: its header, and its bytes when it has no problem. */
  record Frame(JsonNode header, byte[] data) {}

  @Test
  void small_files_come_whole_in_the_order_asked_with_their_revision_and_hash() throws Exception {
    byte[] first = Bytes.random(10_240, 1);
    byte[] second = "hello\nworld\n".getBytes();
    JsonNode a = alice.uploaded("/a.bin", first);
    JsonNode b = alice.uploaded("/b.txt", second);
    JsonNode empty = alice.uploaded("/empty", new byte[0]);

    List<Frame> frames = contents(alice, List.of(ref(b), ref(a), ref(empty), ref(b)));

    assertThat(frames).hasSize(4);
    assertThat(frames.get(0).data()).isEqualTo(second);
    assertThat(frames.get(1).data()).isEqualTo(first);
    assertThat(frames.get(2).data()).isEmpty();
    assertThat(frames.get(3).data()).isEqualTo(second);
    JsonNode header = frames.get(1).header();
    assertThat(header.path("id").asText()).isEqualTo(a.path("id").asText());
    assertThat(header.path("revision").asText()).isEqualTo(a.path("revision").asText());
    assertThat(header.path("contentHash").asText()).isEqualTo(a.path("contentHash").asText());
    assertThat(header.path("size").asLong()).isEqualTo(first.length);
    // The chunks as stored: here one, the whole file, with its SHA-256.
    assertThat(header.path("chunks")).hasSize(1);
    assertThat(header.path("chunks").get(0).path("length").asInt()).isEqualTo(first.length);
    assertThat(header.path("chunks").get(0).path("hash").asText())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(first)));
    assertThat(frames.get(2).header().path("chunks")).isEmpty();
  }

  @Test
  void an_older_revision_comes_when_asked_for() throws Exception {
    JsonNode v1 = alice.uploaded("/notes.txt", "first".getBytes());
    alice.upload(Map.of("path", "/notes.txt", "overwrite", true), "second".getBytes()).expect(201);

    List<Frame> frames =
        contents(
            alice,
            List.of(
                Map.of("id", v1.path("id").asText(), "revision", v1.path("revision").asText()),
                Map.of("id", v1.path("id").asText())));

    assertThat(new String(frames.get(0).data())).isEqualTo("first");
    assertThat(new String(frames.get(1).data())).isEqualTo("second");
  }

  @Test
  void a_file_that_cannot_come_gets_its_own_problem_and_the_others_still_come() throws Exception {
    JsonNode small = alice.uploaded("/small.txt", "small".getBytes());
    JsonNode big = alice.uploaded("/big.bin", Bytes.random((1 << 20) + 1, 2));
    JsonNode folder = alice.folder("/a-folder");
    Account bob = server.newUniqueAccount("bob");
    JsonNode bobs = bob.uploaded("/private.txt", "bob's".getBytes());

    List<Frame> frames =
        contents(
            alice,
            List.of(
                ref(big),
                Map.of("id", "no-such-file"),
                ref(folder),
                ref(bobs),
                Map.of("id", small.path("id").asText(), "revision", "no-such-revision"),
                ref(small)));

    assertThat(frames).hasSize(6);
    assertThat(problem(frames.get(0))).isEqualTo("too-large");
    assertThat(problem(frames.get(1))).isEqualTo("not-found");
    assertThat(problem(frames.get(2))).isEqualTo("is-a-folder");
    // Another user's file is as unknown as a file that does not exist.
    assertThat(problem(frames.get(3))).isEqualTo("not-found");
    assertThat(problem(frames.get(4))).isEqualTo("version-not-found");
    assertThat(frames.get(0).header().path("problem").path("detail").asText()).contains("manifest");
    assertThat(new String(frames.get(5).data())).isEqualTo("small");
  }

  @Test
  void a_malformed_request_is_refused_whole() {
    alice.post("/api/v1/contents", Map.of("files", List.of())).expectProblem(400);
    alice.post("/api/v1/contents", Map.of()).expectProblem(400);
    alice
        .post("/api/v1/contents", Map.of("files", List.of(Map.of("revision", "r"))))
        .expectProblem(400);
    List<Map<String, String>> tooMany = new ArrayList<>();
    for (int i = 0; i <= coffer.core.api.Contents.MAX_FILES; i++) {
      tooMany.add(Map.of("id", "f" + i));
    }
    alice.post("/api/v1/contents", Map.of("files", tooMany)).expectProblem(400);
    server
        .json("POST", "/api/v1/contents", null, Map.of("files", List.of(Map.of("id", "x"))))
        .expectProblem(401);
  }

  private static Map<String, String> ref(JsonNode file) {
    return Map.of("id", file.path("id").asText());
  }

  private static String problem(Frame frame) {
    assertThat(frame.data()).as("a refused file has no bytes").isNull();
    String type = frame.header().path("problem").path("type").asText();
    return type.substring(type.lastIndexOf('/') + 1);
  }

  private static List<Frame> contents(Account account, List<Map<String, String>> files)
      throws IOException {
    Reply reply = account.post("/api/v1/contents", Map.of("files", files)).expect(200);
    assertThat(reply.contentType()).startsWith("application/octet-stream");
    InputStream in = new ByteArrayInputStream(reply.body());
    List<Frame> frames = new ArrayList<>();
    for (byte[] line = line(in); line != null; line = line(in)) {
      JsonNode header = JSON.readTree(line);
      byte[] data = null;
      if (!header.has("problem")) {
        int size = header.path("size").asInt(-1);
        data = in.readNBytes(size);
        assertThat(data).as("a whole file after its header").hasSize(size);
      }
      frames.add(new Frame(header, data));
    }
    return frames;
  }

  private static byte[] line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        assertThat(line.size()).as("the answer ends between frames").isZero();
        return null;
      }
      line.write(b);
    }
    return line.toByteArray();
  }
}
