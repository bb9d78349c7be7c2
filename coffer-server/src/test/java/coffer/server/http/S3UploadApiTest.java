package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.core.api.ChunkTransfer;
import coffer.core.hash.Sha256;
import coffer.server.ServerConfig;
import coffer.server.blob.s3.S3Bucket;
import coffer.server.blob.s3.S3ChunkUrls;
import coffer.server.blob.s3.S3Settings;
import coffer.server.support.Await;
import coffer.server.support.Bytes;
import coffer.server.support.S3Server;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The chunked upload protocol with chunks in S3 (a real S3Proxy): clients PUT and GET chunks
 * straight to and from the store through its presigned URLs, and commits claim what they sent.
 */
class S3UploadApiTest extends UploadApiContract {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final S3Server s3 = S3Server.shared();
  private final String bucket = s3.newBucket();

  @Override
  TestServer start(Path data, UnaryOperator<ServerConfig> customize) {
    return TestServer.start(data, c -> s3.configure(customize.apply(c), bucket));
  }

  @Override
  boolean stored(byte[] chunk) {
    return head(chunk) != null;
  }

  @Override
  long storedSize(byte[] chunk) {
    return head(chunk).contentLength();
  }

  private HeadObjectResponse head(byte[] chunk) {
    String hex = Sha256.of(chunk).hex();
    try {
      return s3.client()
          .headObject(
              b -> b.bucket(bucket).key("coffer/chunks/" + hex.substring(0, 2) + "/" + hex));
    } catch (NoSuchKeyException e) {
      return null;
    }
  }

  /** The URL with the first digit of its signature changed. */
  private static String tamperedSignature(String url) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("X-Amz-Signature=([0-9a-f])").matcher(url);
    assertThat(m.find()).isTrue();
    String other = m.group(1).equals("0") ? "1" : "0";
    return url.substring(0, m.start(1)) + other + url.substring(m.end(1));
  }

  private List<String> staged() {
    return s3
        .client()
        .listObjectsV2(b -> b.bucket(bucket).prefix("coffer/staging/"))
        .contents()
        .stream()
        .map(o -> o.key())
        .toList();
  }

  private String userId() {
    return alice.get("/api/v1/account").expect(200).json().path("id").asText();
  }

  @Nested
  class Presigned_s3_urls {
    @Test
    void take_chunks_straight_to_the_store_and_a_commit_moves_them_into_place() {
      byte[] a = Bytes.random(150_000, 21);
      JsonNode session = begin(alice, "/direct.bin", List.of(chunk(a)));
      JsonNode transfer = session.path("missing").get(0);
      assertThat(transfer.path("url").asText()).startsWith(s3.endpoint() + "/" + bucket + "/");
      assertThat(transfer.path("headers").path("x-amz-checksum-sha256").asText()).isNotEmpty();
      long arrived = server.server().chunkBytesArrived();

      sent(transfer, a);
      assertThat(stored(a)).isFalse();
      assertThat(staged()).hasSize(1);

      String id = commit(alice, session).expect(201).json().path("id").asText();
      assertThat(stored(a)).isTrue();
      assertThat(staged()).isEmpty();
      assertThat(server.server().chunkBytesArrived() - arrived).isEqualTo(a.length);
      assertThat(alice.download(id)).isEqualTo(a);
    }

    @Test
    void reject_a_tampered_url_with_403_and_store_nothing() {
      byte[] a = Bytes.random(50_000, 22);
      JsonNode session = begin(alice, "/t.bin", List.of(chunk(a)));
      JsonNode transfer = session.path("missing").get(0);
      String url = transfer.path("url").asText();
      JsonNode headers = transfer.path("headers");
      String hex = Sha256.of(a).hex();

      send(tamperedSignature(url), headers, a).expect(403);
      send(url.replaceAll("/staging/[^/]+/", "/staging/someone-else/"), headers, a).expect(403);
      send(url.replaceAll("/staging/[^/]+/", "/chunks/" + hex.substring(0, 2) + "/"), headers, a)
          .expect(403);
      send(url.replaceAll("X-Amz-Expires=\\d+", "X-Amz-Expires=604800"), headers, a).expect(403);
      send(url, JSON.createObjectNode(), a).expect(403);

      assertThat(stored(a)).isFalse();
      assertThat(staged()).isEmpty();
      commit(alice, session).expectProblem(409, "chunks-missing");
    }

    @Test
    void reject_a_body_whose_hash_differs_and_store_nothing() {
      byte[] a = Bytes.random(50_000, 23);
      byte[] wrong = Bytes.random(50_000, 24);
      JsonNode session = begin(alice, "/h.bin", List.of(chunk(a)));

      assertThat(send(session.path("missing").get(0), wrong).status()).isEqualTo(400);

      assertThat(stored(a)).isFalse();
      assertThat(stored(wrong)).isFalse();
      assertThat(staged()).isEmpty();
      commit(alice, session).expectProblem(409, "chunks-missing");
    }

    @Test
    void reject_an_expired_url_with_403() throws Exception {
      byte[] a = Bytes.random(50_000, 25);
      JsonNode session = begin(alice, "/e.bin", List.of(chunk(a)));
      String location = s3.location(bucket, "coffer");
      try (S3Bucket store =
          S3Bucket.open(S3Settings.parse(location, S3Server.ACCESS_KEY, S3Server.SECRET_KEY))) {
        S3ChunkUrls urls = new S3ChunkUrls(store, Clock.systemUTC());
        ChunkTransfer expiring =
            urls.put(Sha256.of(a), a.length, userId(), Instant.now().plusSeconds(1));
        Await.past(Instant.now().plusSeconds(2));

        send(expiring.url(), JSON.valueToTree(expiring.headers()), a).expect(403);
        assertThat(staged()).isEmpty();

        ChunkTransfer valid =
            urls.put(Sha256.of(a), a.length, userId(), Instant.now().plusSeconds(60));
        send(valid.url(), JSON.valueToTree(valid.headers()), a).expect(200);
      }
      commit(alice, session).expect(201);
    }

    @Test
    void a_chunk_one_user_sent_is_never_claimed_for_another() {
      byte[] a = Bytes.random(60_000, 26);
      JsonNode mine = begin(alice, "/mine.bin", List.of(chunk(a)));
      sent(mine.path("missing").get(0), a);

      var mallory = server.newAccount("mallory");
      JsonNode theirs = begin(mallory, "/theirs.bin", List.of(chunk(a)));
      assertThat(theirs.path("missing")).hasSize(1);
      commit(mallory, theirs).expectProblem(409, "chunks-missing");
      assertThat(stored(a)).isFalse();

      commit(alice, mine).expect(201);
      commit(mallory, theirs).expectProblem(409, "chunks-missing");
      mallory.lookup("/theirs.bin").expectProblem(404);
    }

    @Test
    void a_chunk_lost_from_the_store_can_be_sent_again() {
      byte[] a = Bytes.random(40_000, 27);
      alice.uploaded("/first.bin", a);
      String hex = Sha256.of(a).hex();
      s3.client()
          .deleteObject(
              b -> b.bucket(bucket).key("coffer/chunks/" + hex.substring(0, 2) + "/" + hex));

      JsonNode session = begin(alice, "/second.bin", List.of(chunk(a)));
      assertThat(session.path("missing")).hasSize(1);
      sent(session.path("missing").get(0), a);
      String id = commit(alice, session).expect(201).json().path("id").asText();

      assertThat(alice.download(id)).isEqualTo(a);
      assertThat(staged()).isEmpty();
    }
  }

  @Nested
  class Starting {
    @TempDir Path other;

    @Test
    void with_a_bucket_that_does_not_exist_fails_in_one_line_and_releases_the_data_directory() {
      assertThatThrownBy(
              () ->
                  TestServer.start(
                      other,
                      c ->
                          c.withBlobs(s3.location("no-such-bucket", "x"))
                              .withBlobCredentials(S3Server.credentials())))
          .hasMessageContaining("no-such-bucket")
          .hasMessageContaining("does not exist")
          .message()
          .doesNotContain("\n");

      TestServer.start(other, c -> s3.configure(c, bucket)).close();
    }
  }
}
