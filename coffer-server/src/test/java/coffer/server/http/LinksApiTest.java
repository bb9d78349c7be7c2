package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.hash.Sha256;
import coffer.server.support.Account;
import coffer.server.support.Await;
import coffer.server.support.Bytes;
import coffer.server.support.FreshServerTest;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Public links over HTTP: made by an owner, visited by anyone holding the token. */
class LinksApiTest extends FreshServerTest {

  private static final String PASSWORD_HEADER = "X-Coffer-Link-Password";

  /** A link that {@code owner} made, as the create call answered it. */
  private record Made(String id, String url, String token, String path) {}

  private Made link(Account owner, String fileId, Map<String, Object> body) {
    JsonNode made = owner.post("/api/v1/files/" + fileId + "/links", body).expect(201).json();
    String url = made.path("url").asText();
    return new Made(
        made.path("id").asText(), url, made.path("token").asText(), URI.create(url).getPath());
  }

  private Made link(String fileId) {
    return link(alice, fileId, Map.of());
  }

  private String id(JsonNode metadata) {
    return metadata.path("id").asText();
  }

  /** A visit without any account: no Authorization header. */
  private Reply visit(String path, String... headers) {
    return server.get(path, headers);
  }

  private static List<String> names(JsonNode items) {
    List<String> names = new ArrayList<>();
    items.forEach(i -> names.add(i.path("name").asText()));
    return names;
  }

  @Nested
  class A_file_link {

    @Test
    void downloads_the_same_bytes_without_a_token() {
      byte[] content = Bytes.random(700_000, 1);
      String fileId = id(alice.uploaded("/Reports/q1.pdf", content));

      JsonNode made = alice.post("/api/v1/files/" + fileId + "/links", null).expect(201).json();
      String url = made.path("url").asText();
      String token = made.path("token").asText();
      assertThat(url).isEqualTo(server.url() + "/api/v1/links/" + token);
      assertThat(Base64.getUrlDecoder().decode(token)).hasSizeGreaterThanOrEqualTo(16);
      assertThat(made.path("hasPassword").asBoolean()).isFalse();
      assertThat(made.has("expiresAt")).isFalse();
      assertThat(made.path("fileId").asText()).isEqualTo(fileId);

      String path = URI.create(url).getPath();
      JsonNode shown = visit(path).expect(200).json();
      assertThat(shown.path("item").path("name").asText()).isEqualTo("q1.pdf");
      assertThat(shown.path("item").path("path").asText()).isEqualTo("/q1.pdf");
      assertThat(shown.path("item").path("size").asLong()).isEqualTo(content.length);
      assertThat(shown.path("item").has("parentId")).isFalse();
      assertThat(shown.has("children")).isFalse();

      Reply download = visit(path + "/content").expect(200);
      assertThat(download.body()).isEqualTo(content);
      assertThat(download.header("Content-Disposition")).startsWith("attachment;");
      assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(download.header("X-Coffer-Path")).isEqualTo("%2Fq1.pdf");
      assertThat(download.header("Referrer-Policy")).isEqualTo("no-referrer");

      Reply range = visit(path + "/content", "Range", "bytes=100-199").expect(206);
      assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));
    }

    @Test
    void stops_working_while_its_file_is_in_the_trash() {
      String fileId = id(alice.uploaded("/a.txt", new byte[] {1, 2}));
      Made link = link(fileId);

      alice.delete("/api/v1/files/" + fileId).expect(204);
      visit(link.path() + "/content").expectProblem(404, "link-not-found");

      alice.post("/api/v1/trash/" + fileId + "/restore", null).expect(200);
      assertThat(visit(link.path() + "/content").expect(200).body()).containsExactly(1, 2);
    }

    @Test
    void an_unknown_token_is_not_found() {
      visit("/api/v1/links/" + "A".repeat(43)).expectProblem(404, "link-not-found");
      visit("/api/v1/links/short").expectProblem(404, "link-not-found");
      visit("/api/v1/links/" + "A".repeat(43) + "/content").expectProblem(404, "link-not-found");
    }
  }

  @Nested
  class A_folder_link {

    @Test
    void lists_the_folder_and_downloads_files_at_any_depth_but_nothing_outside_it() {
      String share = id(alice.folder("/Share"));
      String sub = id(alice.folder("/Share/Sub"));
      byte[] nested = Bytes.random(10_000, 2);
      String nestedId = id(alice.uploaded("/Share/Sub/deep.bin", nested));
      alice.uploaded("/Share/top.txt", new byte[] {1});
      String outside = id(alice.uploaded("/secret.txt", new byte[] {6, 6, 6}));
      String otherFolder = id(alice.folder("/Private"));
      String privateFile = id(alice.uploaded("/Private/p.txt", new byte[] {7}));
      Made link = link(share);

      JsonNode top = visit(link.path()).expect(200).json();
      assertThat(top.path("item").path("kind").asText()).isEqualTo("folder");
      assertThat(top.path("item").path("path").asText()).isEqualTo("/");
      assertThat(top.path("item").has("parentId")).as("the folder's parent stays hidden").isFalse();
      assertThat(names(top.path("children"))).containsExactly("Sub", "top.txt");
      assertThat(top.path("children").get(0).path("path").asText()).isEqualTo("/Sub");

      JsonNode inner = visit(link.path() + "?folder=" + sub).expect(200).json();
      assertThat(inner.path("item").path("parentId").asText()).isEqualTo(share);
      assertThat(names(inner.path("children"))).containsExactly("deep.bin");
      assertThat(inner.path("children").get(0).path("path").asText()).isEqualTo("/Sub/deep.bin");

      Reply download = visit(link.path() + "/files/" + nestedId).expect(200);
      assertThat(download.body()).isEqualTo(nested);
      assertThat(download.header("X-Coffer-Path")).isEqualTo("%2FSub%2Fdeep.bin");

      visit(link.path() + "/files/" + outside).expectProblem(404);
      visit(link.path() + "/files/" + privateFile).expectProblem(404);
      visit(link.path() + "?folder=" + otherFolder).expectProblem(404);
      visit(link.path() + "?folder=root").expectProblem(404);
      String aliceRoot =
          alice.get("/api/v1/files/root/metadata").expect(200).json().path("id").asText();
      visit(link.path() + "?folder=" + aliceRoot).expectProblem(404);
      visit(link.path() + "/content").expectProblem(409, "is-a-folder");
    }

    @Test
    void never_reaches_another_users_files() {
      Account bob = server.newAccount("bob");
      String bobs = id(bob.uploaded("/bob.txt", new byte[] {9}));
      Made link = link(id(alice.folder("/Share")));

      visit(link.path() + "/files/" + bobs).expectProblem(404);
      visit(link.path() + "?folder=" + bobs).expectProblem(404);
    }
  }

  @Nested
  class Expiry_and_revocation {

    @Test
    void an_expired_link_is_gone() {
      String fileId = id(alice.uploaded("/soon.txt", new byte[] {1}));
      Instant expires = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
      JsonNode made =
          alice
              .post("/api/v1/files/" + fileId + "/links", Map.of("expiresAt", expires.toString()))
              .expect(201)
              .json();
      assertThat(Instant.parse(made.path("expiresAt").asText())).isEqualTo(expires);
      String path = URI.create(made.path("url").asText()).getPath();
      JsonNode shown = visit(path).expect(200).json();
      assertThat(Instant.parse(shown.path("expiresAt").asText())).isEqualTo(expires);

      Await.past(expires);

      visit(path).expectProblem(410, "link-expired");
      visit(path + "/content").expectProblem(410, "link-expired");
    }

    @Test
    void an_expiry_in_the_past_is_refused() {
      String fileId = id(alice.uploaded("/x.txt", new byte[] {1}));
      alice
          .post(
              "/api/v1/files/" + fileId + "/links",
              Map.of("expiresAt", Instant.now().minusSeconds(5).toString()))
          .expectProblem(400, "invalid-expiry");
      alice
          .post("/api/v1/files/" + fileId + "/links", "{\"expiresAt\": \"next tuesday\"}")
          .expectProblem(400, "malformed-json");
    }

    @Test
    void a_revoked_link_is_not_found_and_leaves_the_list() {
      String fileId = id(alice.uploaded("/r.txt", new byte[] {1}));
      Made kept = link(fileId);
      Made revoked = link(fileId);

      alice.delete("/api/v1/links/" + revoked.id()).expect(204);

      visit(revoked.path()).expectProblem(404, "link-not-found");
      visit(revoked.path() + "/content").expectProblem(404, "link-not-found");
      visit(kept.path()).expect(200);
      alice.delete("/api/v1/links/" + revoked.id()).expectProblem(404, "link-not-found");
      JsonNode list = alice.get("/api/v1/files/" + fileId + "/links").expect(200).json();
      assertThat(list).hasSize(1);
      assertThat(list.get(0).path("id").asText()).isEqualTo(kept.id());
    }

    @Test
    void revoking_needs_a_signed_in_caller() {
      Made link = link(id(alice.uploaded("/r.txt", new byte[] {1})));
      server.json("DELETE", "/api/v1/links/" + link.id(), null, null).expectProblem(401);
      server.json("DELETE", link.path(), null, null).expectProblem(401);
      visit(link.path()).expect(200);
    }
  }

  @Nested
  class Passwords {

    private Made guarded(String path, String password) {
      return link(alice, id(alice.uploaded(path, new byte[] {4, 2})), Map.of("password", password));
    }

    @Test
    void a_link_with_a_password_opens_only_with_it_in_a_header() {
      Made link = guarded("/locked.txt", "open sesame");

      Reply missing = visit(link.path()).expectProblem(401, "link-password-required");
      assertThat(missing.header("WWW-Authenticate")).isEqualTo("Coffer-Link-Password");
      visit(link.path(), PASSWORD_HEADER, "wrong").expectProblem(401, "wrong-link-password");
      visit(link.path() + "?password=open%20sesame").expectProblem(401, "link-password-required");

      JsonNode shown = visit(link.path(), PASSWORD_HEADER, "open sesame").expect(200).json();
      assertThat(shown.path("item").path("name").asText()).isEqualTo("locked.txt");
      assertThat(visit(link.path() + "/content", PASSWORD_HEADER, "open sesame").expect(200).body())
          .containsExactly(4, 2);
      visit(link.path() + "/content").expectProblem(401, "link-password-required");
    }

    @Test
    void the_sixth_wrong_password_within_a_minute_is_refused_with_retry_after() {
      Made link = guarded("/locked.txt", "open sesame");
      Made other = guarded("/other.txt", "another one");

      for (int i = 0; i < 5; i++) {
        visit(link.path(), PASSWORD_HEADER, "guess " + i).expectProblem(401, "wrong-link-password");
      }
      Reply refused = visit(link.path(), PASSWORD_HEADER, "guess 6").expectProblem(429);
      long retryAfter = Long.parseLong(refused.header("Retry-After"));
      assertThat(retryAfter).isBetween(1L, 60L);
      assertThat(refused.json().path("type").asText()).isEqualTo("/problems/too-many-attempts");

      // Even the right password waits, or guessing on would tell right from wrong.
      visit(link.path(), PASSWORD_HEADER, "open sesame").expectProblem(429);
      // The same client is held back on other links too.
      visit(other.path(), PASSWORD_HEADER, "another one").expectProblem(429);
    }

    @Test
    void a_password_must_not_be_empty() {
      String fileId = id(alice.uploaded("/x.txt", new byte[] {1}));
      alice
          .post("/api/v1/files/" + fileId + "/links", Map.of("password", ""))
          .expectProblem(400, "invalid-password");
    }
  }

  @Nested
  class The_owners_list {

    @Test
    void shows_ids_expiry_and_password_but_never_a_token() {
      String fileId = id(alice.uploaded("/l.txt", new byte[] {1}));
      Made plain = link(fileId);
      Map<String, Object> body = new HashMap<>();
      body.put("password", "pw");
      body.put("expiresAt", Instant.now().plusSeconds(3600).toString());
      Made guarded = link(alice, fileId, body);

      Reply reply = alice.get("/api/v1/files/" + fileId + "/links").expect(200);
      JsonNode list = reply.json();
      assertThat(list).hasSize(2);
      assertThat(list.get(0).path("id").asText()).isEqualTo(guarded.id());
      assertThat(list.get(0).path("hasPassword").asBoolean()).isTrue();
      assertThat(list.get(0).has("expiresAt")).isTrue();
      assertThat(list.get(1).path("id").asText()).isEqualTo(plain.id());
      assertThat(list.get(1).path("hasPassword").asBoolean()).isFalse();
      for (JsonNode entry : list) {
        assertThat(entry.has("token")).isFalse();
        assertThat(entry.has("url")).isFalse();
      }
      assertThat(reply.text()).doesNotContain(plain.token()).doesNotContain(guarded.token());
    }

    @Test
    void stores_only_a_hash_of_the_token() throws SQLException {
      Made link = link(id(alice.uploaded("/h.txt", new byte[] {1})));

      try (Connection db = TestServer.metadataConnection(data);
          PreparedStatement query = db.prepareStatement("SELECT * FROM links WHERE id = ?")) {
        query.setString(1, link.id());
        ResultSet rs = query.executeQuery();
        assertThat(rs.next()).isTrue();
        String stored = rs.getString("token_hash");
        assertThat(stored)
            .isNotEqualTo(link.token())
            .isEqualTo(Sha256.of(link.token().getBytes(StandardCharsets.UTF_8)).hex());
        for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
          assertThat(String.valueOf(rs.getObject(column))).doesNotContain(link.token());
        }
      }
    }
  }

  @Nested
  class Strangers {

    @Test
    void cannot_make_list_or_revoke_links_to_someone_elses_files() {
      String fileId = id(alice.uploaded("/mine.txt", new byte[] {1}));
      Made link = link(fileId);
      Account bob = server.newAccount("bob");

      bob.post("/api/v1/files/" + fileId + "/links", null).expectProblem(404);
      bob.get("/api/v1/files/" + fileId + "/links").expectProblem(404);
      bob.delete("/api/v1/links/" + link.id()).expectProblem(404, "link-not-found");

      visit(link.path()).expect(200);
      assertThat(alice.get("/api/v1/files/" + fileId + "/links").expect(200).json()).hasSize(1);
    }
  }
}
