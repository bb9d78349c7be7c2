package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.support.Account;
import coffer.server.support.Multipart;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what to a shared folder, route by route: one table of endpoint calls, each with the
 * status every kind of caller must get, and one test per cell.
 *
 * <p>Alice owns {@code /Quarterly-Plans} (a subfolder and a file with two versions in it), shared
 * with Bob as editor and Carol as viewer; Dave was a member until Alice removed him; Eve never was.
 * Alice also has a folder and a file she shared with no one. The rules: the owner and an editor
 * read and write; a viewer reads, and every write is a 403 {@code read-only} ({@code cannot-share}
 * for sharing); a former member and a stranger get 404 for everything, never 403, and no answer to
 * them names anything of Alice's; without a valid token (none, or one signed out) it is 401.
 *
 * <p>Every write works on objects made for that one cell ({@code {new}}, {@code {trashed}}, …), so
 * cells do not depend on each other or on their order; a refused write must leave its target as it
 * was.
 */
class AuthorizationMatrixTest {

  /** The columns of the table, in order. */
  enum Principal {
    OWNER("owner"),
    EDITOR("editor"),
    VIEWER("viewer"),
    REVOKED_MEMBER("revokedMember"),
    STRANGER("stranger"),
    ANONYMOUS("anonymous"),
    EXPIRED_TOKEN("expiredToken"),
    /**
     * Someone with a public link to the shared folder and no account, who tries the link's token as
     * a bearer token: a link opens its own endpoints and nothing else.
     */
    LINK_HOLDER("linkHolder");

    final String label;

    Principal(String label) {
      this.label = label;
    }

    /** Callers who must learn nothing of Alice's folder, whatever they ask. */
    boolean outsider() {
      return this == REVOKED_MEMBER || this == STRANGER;
    }
  }

  private static final String FOLDER = "Quarterly-Plans";
  private static final String SUB = "drafts-q3";
  private static final String FILE = "budget-2027.xlsx";
  private static final String PRIVATE_FOLDER = "private-notes";
  private static final String PRIVATE_FILE = "diary-2026.txt";
  private static final List<String> NAMES =
      List.of(FOLDER, SUB, FILE, PRIVATE_FOLDER, PRIVATE_FILE);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");
  private static final AtomicInteger FRESH = new AtomicInteger();
  private static final String DATA = Base64.getEncoder().encodeToString("new".getBytes());

  @TempDir static Path tmp;
  static TestServer server;
  static Fixture fx;

  @BeforeAll
  static void aliceSharesAFolder() {
    server = TestServer.start(tmp);
    fx = new Fixture();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  // --- the table -----------------------------------------------------------------------------

  /**
   * Placeholders: {@code {file}} and {@code {folder}} are the file and subfolder inside the shared
   * folder (one id for everyone); {@code {mount}} is the shared folder as the caller sees it (their
   * own mount; Alice's folder for anyone else); {@code {path}} is the caller's own path to the
   * file; {@code {oldRevision}} the file's first version; {@code {private}} and {@code
   * {privateFolder}} are Alice's unshared file and folder. Made for one cell by Alice: {@code
   * {new}} (a file in the shared folder), {@code {newRevision}} (its first version, once it has a
   * second), {@code {trashed}} (a file deleted in the shared folder), {@code {newPrivate}} (an
   * unshared file), {@code {member}} (a viewer of the shared folder), {@code {upload}} (Alice's
   * upload session into the subfolder), {@code {unique}} (a name nothing has yet).
   */
  static final List<Row> TABLE =
      List.of(
          // Reading.
          get("/api/v1/files/{file}/metadata").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{folder}/metadata").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{mount}/metadata").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{file}").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{file}?revision={oldRevision}")
              .expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{mount}/children").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{folder}/children").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{mount}/zip").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{folder}/zip").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{file}/manifest").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{file}/versions").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{file}/changes").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{mount}/changes").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/lookup?path={path}").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{mount}/share").expect(200, 200, 200, 404, 404, 401, 401),
          get("/api/v1/files/{file}/share").expect(200, 200, 200, 404, 404, 401, 401),
          // What every caller has of their own must not show Alice's folder to outsiders.
          get("/api/v1/shared-with-me").expect(200, 200, 200, 200, 200, 401, 401),
          get("/api/v1/trash").expect(200, 200, 200, 200, 200, 401, 401),
          get("/api/v1/changes").expect(200, 200, 200, 200, 200, 401, 401),
          get("/api/v1/changes/latest").expect(200, 200, 200, 200, 200, 401, 401),

          // Writing in the shared folder.
          call("PATCH", "/api/v1/files/{new}", Map.of("name", "{unique}"))
              .expect(200, 200, 403, 404, 404, 401, 401),
          call("PATCH", "/api/v1/files/{new}", Map.of("parentId", "{folder}"))
              .expect(200, 200, 403, 404, 404, 401, 401),
          // Out of the shared folder into the caller's own root.
          call("PATCH", "/api/v1/files/{new}", Map.of("parentId", "root"))
              .expect(200, 200, 403, 404, 404, 401, 401),
          // Into Alice's unshared folder: an editor cannot even see it.
          call("PATCH", "/api/v1/files/{new}", Map.of("parentId", "{privateFolder}"))
              .expect(200, 404, 403, 404, 404, 401, 401),
          call("DELETE", "/api/v1/files/{new}", null).expect(204, 204, 403, 404, 404, 401, 401),
          upload(Map.of("parentId", "{folder}", "name", "{unique}"))
              .expect(201, 201, 403, 404, 404, 401, 401),
          upload(Map.of("parentId", "{mount}", "name", "{unique}"))
              .expect(201, 201, 403, 404, 404, 401, 401),
          call("POST", "/api/v1/folders", Map.of("parentId", "{folder}", "name", "{unique}"))
              .expect(201, 201, 403, 404, 404, 401, 401),
          call("POST", "/api/v1/folders", Map.of("parentId", "{mount}", "name", "{unique}"))
              .expect(201, 201, 403, 404, 404, 401, 401),
          call("POST", "/api/v1/files/{new}/versions/{newRevision}/restore", null)
              .expect(201, 201, 403, 404, 404, 401, 401),
          call(
                  "POST",
                  "/api/v1/uploads",
                  Map.of("parentId", "{folder}", "name", "{unique}", "chunks", List.of()))
              .expect(201, 201, 403, 404, 404, 401, 401),
          // An upload session is its maker's alone, whoever else may write where it goes.
          call("POST", "/api/v1/uploads/{upload}/commit", null)
              .expect(201, 404, 404, 404, 404, 401, 401),
          batch(Map.of("op", "put", "parentId", "{folder}", "name", "{unique}", "data", DATA))
              .expect(201, 201, 403, 404, 404, 401, 401),
          batch(Map.of("op", "put", "id", "{new}", "data", DATA))
              .expect(200, 200, 403, 404, 404, 401, 401),
          batch(Map.of("op", "mkdir", "parentId", "{folder}", "name", "{unique}"))
              .expect(201, 201, 403, 404, 404, 401, 401),
          batch(Map.of("op", "move", "id", "{new}", "name", "{unique}"))
              .expect(200, 200, 403, 404, 404, 401, 401),
          batch(Map.of("op", "delete", "id", "{new}")).expect(200, 200, 403, 404, 404, 401, 401),

          // Sharing: only the owner, as long as editors are not allowed to share further.
          call("POST", "/api/v1/files/{mount}/share", shareWithFrank())
              .refusedAs("cannot-share")
              .expect(200, 403, 403, 404, 404, 401, 401),
          call("POST", "/api/v1/files/{file}/share", shareWithFrank())
              .refusedAs("cannot-share")
              .expect(200, 403, 403, 404, 404, 401, 401),
          call("DELETE", "/api/v1/files/{mount}/share/{member}", null)
              .refusedAs("cannot-share")
              .expect(204, 403, 403, 404, 404, 401, 401),

          // The trash of the shared folder. A viewer sees what was deleted there (its history),
          // so restoring it is a refused write, not a 404.
          get("/api/v1/files/{trashed}/changes").expect(200, 200, 200, 404, 404, 401, 401),
          call("POST", "/api/v1/trash/{trashed}/restore", null)
              .expect(200, 200, 403, 404, 404, 401, 401),
          // Purging is the owner's alone: to anyone else it is not in their trash.
          call("DELETE", "/api/v1/trash/{trashed}", null).expect(204, 404, 404, 404, 404, 401, 401),

          // A public link to the shared folder: open to anyone who holds it, and no further.
          get("/api/v1/links/{link}").open().expect(200, 200, 200, 200, 200, 200, 200, 200),
          get("/api/v1/links/{link}?folder={folder}")
              .open()
              .expect(200, 200, 200, 200, 200, 200, 200, 200),
          get("/api/v1/links/{link}/files/{file}")
              .open()
              .expect(200, 200, 200, 200, 200, 200, 200, 200),
          get("/api/v1/links/{link}/files/{private}")
              .expect(404, 404, 404, 404, 404, 404, 404, 404),
          get("/api/v1/files/{mount}/links").expect(200, 200, 200, 404, 404, 401, 401, 401),
          call("POST", "/api/v1/files/{mount}/links", null)
              .refusedAs("cannot-share")
              .expect(201, 403, 403, 404, 404, 401, 401, 401),

          // Alice's unshared things are nobody else's business, members' included.
          get("/api/v1/files/{private}/metadata").expect(200, 404, 404, 404, 404, 401, 401),
          get("/api/v1/files/{private}").expect(200, 404, 404, 404, 404, 401, 401),
          get("/api/v1/files/{private}/changes").expect(200, 404, 404, 404, 404, 401, 401),
          get("/api/v1/files/{privateFolder}/children").expect(200, 404, 404, 404, 404, 401, 401),
          call("POST", "/api/v1/files/{private}/share", shareWithFrank())
              .expect(200, 404, 404, 404, 404, 401, 401),
          call("POST", "/api/v1/folders", Map.of("parentId", "{privateFolder}", "name", "{unique}"))
              .expect(201, 404, 404, 404, 404, 401, 401),
          call("DELETE", "/api/v1/files/{newPrivate}", null)
              .expect(204, 404, 404, 404, 404, 401, 401));

  @TestFactory
  Stream<DynamicTest> every_caller_gets_what_their_role_allows_and_outsiders_learn_nothing() {
    return TABLE.stream()
        .flatMap(
            row ->
                Arrays.stream(Principal.values())
                    .map(
                        who ->
                            DynamicTest.dynamicTest(
                                row.cellName(who), () -> new Cell(who).check(row))));
  }

  // --- rows ----------------------------------------------------------------------------------

  /** An endpoint call; {@code body} is JSON (with placeholders in strings) or an {@link Upload}. */
  static final class Row {
    final String method;
    final String path;
    final Object body;
    final boolean batch;
    final Map<Principal, Integer> expected = new EnumMap<>(Principal.class);
    String refusal = "read-only";
    boolean open;

    Row(String method, String path, Object body, boolean batch) {
      this.method = method;
      this.path = path;
      this.body = body;
      this.batch = batch;
    }

    /**
     * The statuses, one per {@link Principal}, in its order. Rows of the account API may leave out
     * the link holder's column: a link grants nothing there, so they are answered as anonymous.
     */
    Row expect(int... statuses) {
      Principal[] columns = Principal.values();
      if (statuses.length == columns.length - 1) {
        statuses = Arrays.copyOf(statuses, columns.length);
        statuses[columns.length - 1] = statuses[Principal.ANONYMOUS.ordinal()];
      }
      if (statuses.length != columns.length) {
        throw new IllegalArgumentException(name() + ": one status per column " + List.of(columns));
      }
      for (int i = 0; i < columns.length; i++) {
        expected.put(columns[i], statuses[i]);
      }
      return this;
    }

    /** A public link's endpoint: whoever holds the link may read the folder's names. */
    Row open() {
      open = true;
      return this;
    }

    /** The problem type of this row's 403s ({@code read-only} unless said otherwise). */
    Row refusedAs(String type) {
      refusal = type;
      return this;
    }

    /** "METHOD path as principal -> status". */
    String cellName(Principal who) {
      return method + " " + name() + " as " + who.label + " -> " + expected.get(who);
    }

    String name() {
      return switch (body) {
        case null -> path;
        case Upload upload -> path + " " + new TreeMap<>(upload.fileMetadata());
        case Map<?, ?> map when batch -> path + " " + map.get("op") + " " + without(map, "data");
        case Map<?, ?> map -> path + " " + new TreeMap<>(map);
        default -> path + " " + body;
      };
    }

    private static Map<?, ?> without(Map<?, ?> map, String key) {
      Map<Object, Object> rest = new TreeMap<>(map);
      rest.remove("op");
      rest.remove(key);
      return rest;
    }
  }

  /** A multipart upload to {@code POST /api/v1/files} with this {@code fileMetadata}. */
  record Upload(Map<String, Object> fileMetadata) {}

  static Row get(String path) {
    return new Row("GET", path, null, false);
  }

  static Row call(String method, String path, Object body) {
    return new Row(method, path, body, false);
  }

  static Row upload(Map<String, Object> fileMetadata) {
    return new Row("POST", "/api/v1/files", new Upload(fileMetadata), false);
  }

  /** One operation in a batch: the cell reads that operation's status, not the batch's. */
  static Row batch(Map<String, Object> operation) {
    return new Row("POST", "/api/v1/batch", operation, true);
  }

  static Map<String, Object> shareWithFrank() {
    return Map.of("users", List.of("{frank}"), "permissions", List.of("viewer"));
  }

  // --- cells ---------------------------------------------------------------------------------

  /** What became of a call: the status and problem type of the request, or of its batch op. */
  record Outcome(int status, String problemType, Reply reply) {}

  /** One principal making one call, with the objects made for it alone. */
  static final class Cell {
    final Principal who;
    final Map<String, String> made = new LinkedHashMap<>();
    final List<String> names = new ArrayList<>(fx.names());
    JsonNode newFileBefore;

    Cell(Principal who) {
      this.who = who;
    }

    void check(Row row) {
      String path = resolve(row.path);
      Object body = resolve(row.body);
      Reply reply = send(row, path, body);
      Outcome outcome = row.batch ? batchOutcome(reply) : outcome(reply);
      int expected = row.expected.get(who);

      String cell = row.cellName(who);
      assertThat(outcome.status()).as("%s: status of %s", cell, reply).isEqualTo(expected);
      switch (expected) {
        case 403 ->
            assertThat(outcome.problemType())
                .as("%s: %s", cell, reply)
                .isEqualTo("/problems/" + row.refusal);
        case 404 ->
            // A 404 from the router would make every outsider cell pass for a misspelt route.
            assertThat(reply.text()).as("%s: %s", cell, reply).doesNotContain("No such endpoint");
        case 401 -> {
          reply.expectProblem(401);
          assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
        // The table knows successes, 401, 403 and 404; anything else is a mistake in it.
        default -> assertThat(expected).isBetween(200, 299);
      }
      if (expected == 404 || expected == 401 || (who.outsider() && !row.open)) {
        String asked = path + " " + (body == null ? "" : toJson(body));
        for (String name : names) {
          if (!asked.contains(name) && !asked.contains(encode(name))) {
            assertThat(reply.text())
                .as("%s: %s leaks '%s'", cell, reply, name)
                .doesNotContain(name);
          }
        }
      }
      if (expected >= 400) {
        leftAsItWas();
      }
    }

    /** A refused call changed nothing it was aimed at. */
    private void leftAsItWas() {
      if (newFileBefore != null) {
        JsonNode now = fx.alice.get("/api/v1/files/" + made.get("new") + "/metadata").json();
        assertThat(now).as("the file made for this cell").isEqualTo(newFileBefore);
      }
      if (made.containsKey("trashed")) {
        JsonNode trash = fx.alice.get("/api/v1/trash").expect(200).json();
        assertThat(trash.findValuesAsText("id")).contains(made.get("trashed"));
      }
      if (made.containsKey("member")) {
        JsonNode shares = fx.alice.get("/api/v1/files/" + fx.shared + "/share").json();
        assertThat(shares.path("members").findValuesAsText("user")).contains(made.get("member"));
      }
    }

    private Reply send(Row row, String path, Object body) {
      String token =
          switch (who) {
            case ANONYMOUS -> null;
            case EXPIRED_TOKEN -> fx.signedOut;
            case LINK_HOLDER -> fx.link;
            default -> fx.account(who).token();
          };
      if (body instanceof Upload upload) {
        Multipart multipart =
            new Multipart()
                .json("fileMetadata", toJson(upload.fileMetadata()))
                .file("file", "upload.bin", "uploaded".getBytes());
        HttpRequest.Builder request =
            server
                .request(path)
                .header("Content-Type", multipart.contentType())
                .POST(multipart.publisher());
        if (token != null) {
          request.header("Authorization", "Bearer " + token);
        }
        return server.send(request.build());
      }
      Object json = row.batch ? Map.of("operations", List.of(body)) : body;
      return server.json(row.method, path, token, json);
    }

    private static Outcome outcome(Reply reply) {
      String type = null;
      if (reply.status() >= 400 && reply.contentType() != null) {
        type = reply.json().path("type").asText();
      }
      return new Outcome(reply.status(), type, reply);
    }

    /** A batch answers 200 with a status per operation; without a valid token, a plain 401. */
    private static Outcome batchOutcome(Reply reply) {
      if (reply.status() != 200) {
        return outcome(reply);
      }
      JsonNode result = reply.json().path("results").get(0);
      return new Outcome(
          result.path("status").asInt(), result.path("problem").path("type").asText(null), reply);
    }

    // --- placeholders ------------------------------------------------------------------------

    private Object resolve(Object template) {
      return switch (template) {
        case null -> null;
        case String text -> resolve(text);
        case Upload upload -> new Upload(resolveMap(upload.fileMetadata()));
        case Map<?, ?> map -> resolveMap(map);
        case List<?> list -> list.stream().map(this::resolve).toList();
        default -> template;
      };
    }

    private Map<String, Object> resolveMap(Map<?, ?> map) {
      Map<String, Object> resolved = new LinkedHashMap<>();
      map.forEach((key, value) -> resolved.put((String) key, resolve(value)));
      return resolved;
    }

    private String resolve(String text) {
      Matcher m = PLACEHOLDER.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1))));
      }
      m.appendTail(out);
      return out.toString();
    }

    private String value(String placeholder) {
      return switch (placeholder) {
        case "file" -> fx.file;
        case "folder" -> fx.folder;
        case "oldRevision" -> fx.oldRevision;
        case "private" -> fx.privateFile;
        case "privateFolder" -> fx.privateFolder;
        case "frank" -> fx.frank;
        case "link" -> fx.link;
        case "mount" -> fx.mounts.getOrDefault(who, fx.shared);
        case "path" -> encode(fx.paths.getOrDefault(who, fx.paths.get(Principal.OWNER)));
        default -> {
          // Not computeIfAbsent: making one thing may make another ({newRevision} makes {new}).
          String value = made.get(placeholder);
          if (value == null) {
            value = make(placeholder);
            made.put(placeholder, value);
          }
          yield value;
        }
      };
    }

    /** Makes, as Alice, what this cell alone works on. */
    private String make(String placeholder) {
      String name = "fresh-" + FRESH.incrementAndGet() + ".txt";
      names.add(name);
      String inShared = "/" + FOLDER + "/" + SUB + "/" + name;
      Account alice = fx.alice;
      return switch (placeholder) {
        case "unique" -> name;
        case "new" -> {
          JsonNode file = alice.uploaded(inShared, "v1".getBytes());
          newFileBefore = file;
          yield file.path("id").asText();
        }
        case "newRevision" -> {
          String id = value("new");
          String first = newFileBefore.path("revision").asText();
          String path = newFileBefore.path("path").asText();
          alice.upload(Map.of("path", path, "overwrite", true), "v2".getBytes()).expect(201);
          newFileBefore = alice.get("/api/v1/files/" + id + "/metadata").expect(200).json();
          yield first;
        }
        case "trashed" -> {
          String id = alice.uploaded(inShared, "gone".getBytes()).path("id").asText();
          alice.delete("/api/v1/files/" + id).expect(204);
          yield id;
        }
        case "newPrivate" ->
            alice
                .uploaded("/" + PRIVATE_FOLDER + "/" + name, "mine".getBytes())
                .path("id")
                .asText();
        case "member" -> {
          Account member = server.newUniqueAccount("member");
          fx.share(member.username(), "viewer");
          yield member.username();
        }
        case "upload" ->
            alice
                .post(
                    "/api/v1/uploads",
                    Map.of("parentId", fx.folder, "name", name, "chunks", List.of()))
                .expect(201)
                .json()
                .path("uploadId")
                .asText();
        default -> throw new IllegalArgumentException("no placeholder {" + placeholder + "}");
      };
    }
  }

  // --- the fixture ---------------------------------------------------------------------------

  /** Everyone, and what Alice has, set up once for the whole table. */
  static final class Fixture {
    final Account alice = server.newUniqueAccount("alice");
    final Account bob = server.newUniqueAccount("bob");
    final Account carol = server.newUniqueAccount("carol");
    final Account dave = server.newUniqueAccount("dave");
    final Account eve = server.newUniqueAccount("eve");
    final String frank = server.newUniqueAccount("frank").username();
    final String shared;
    final String folder;
    final String file;
    final String oldRevision;
    final String privateFolder;
    final String privateFile;
    final String signedOut;
    final String link;
    final Map<Principal, String> mounts = new EnumMap<>(Principal.class);
    final Map<Principal, String> paths = new EnumMap<>(Principal.class);

    Fixture() {
      // Bob has a folder of that name already, so his mount of Alice's gets another name and
      // his path to her file is not hers.
      bob.folder("/" + FOLDER);
      shared = alice.folder("/" + FOLDER).path("id").asText();
      String filePath = "/" + FOLDER + "/" + SUB + "/" + FILE;
      JsonNode first = alice.uploaded(filePath, "v1".getBytes());
      file = first.path("id").asText();
      oldRevision = first.path("revision").asText();
      alice.upload(Map.of("path", filePath, "overwrite", true), "v2".getBytes()).expect(201);
      folder = alice.lookup("/" + FOLDER + "/" + SUB).expect(200).json().path("id").asText();
      privateFile =
          alice
              .uploaded("/" + PRIVATE_FOLDER + "/" + PRIVATE_FILE, "dear diary".getBytes())
              .path("id")
              .asText();
      privateFolder = alice.lookup("/" + PRIVATE_FOLDER).expect(200).json().path("id").asText();

      share(bob.username(), "editor");
      share(carol.username(), "viewer");
      share(dave.username(), "editor");
      dave.get("/api/v1/files/" + file + "/metadata").expect(200);
      alice.delete("/api/v1/files/" + shared + "/share/" + dave.username()).expect(204);

      mounts.put(Principal.OWNER, shared);
      mounts.put(Principal.EDITOR, mountOf(bob));
      mounts.put(Principal.VIEWER, mountOf(carol));
      for (Principal member : List.of(Principal.OWNER, Principal.EDITOR, Principal.VIEWER)) {
        paths.put(member, pathOf(account(member), file));
      }
      assertThat(paths.get(Principal.EDITOR)).isNotEqualTo(paths.get(Principal.OWNER));

      Account laptop = server.login(alice.username());
      alice.delete("/api/v1/auth/devices/" + laptop.deviceId()).expect(204);
      signedOut = laptop.token();
      link =
          alice
              .post("/api/v1/files/" + shared + "/links", null)
              .expect(201)
              .json()
              .path("token")
              .asText();
    }

    /** What an outsider must never read in an answer, unless they sent it themselves. */
    List<String> names() {
      List<String> names = new ArrayList<>(NAMES);
      names.add(alice.username());
      return names;
    }

    Account account(Principal who) {
      return switch (who) {
        case OWNER -> alice;
        case EDITOR -> bob;
        case VIEWER -> carol;
        case REVOKED_MEMBER -> dave;
        case STRANGER -> eve;
        case ANONYMOUS, EXPIRED_TOKEN, LINK_HOLDER ->
            throw new IllegalArgumentException(who + " has none");
      };
    }

    void share(String username, String role) {
      alice
          .post(
              "/api/v1/files/" + shared + "/share",
              Map.of("users", List.of(username), "permissions", List.of(role)))
          .expect(200);
    }

    private static String mountOf(Account member) {
      JsonNode shared = member.get("/api/v1/shared-with-me").expect(200).json();
      assertThat(shared).hasSize(1);
      return shared.get(0).path("id").asText();
    }

    private static String pathOf(Account who, String id) {
      return who.get("/api/v1/files/" + id + "/metadata").expect(200).json().path("path").asText();
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static String toJson(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize " + body, e);
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
