package coffer.server.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.api.ChunkTransfer;
import coffer.core.hash.Sha256;
import coffer.server.support.Await;
import coffer.server.support.S3Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Presigned URLs straight to a real S3 server (S3Proxy), and claiming what arrives there. */
class S3ChunkUrlsTest {

  private static final String ALICE = "ALICE0000000000000000000000";
  private static final String BOB = "BOB000000000000000000000000";

  private final S3Server s3 = S3Server.shared();
  private final HttpClient http = HttpClient.newHttpClient();
  private String bucketName;
  private S3Bucket bucket;
  private S3ChunkUrls urls;
  private S3BlobStore blobs;

  @BeforeEach
  void open() {
    bucketName = s3.newBucket();
    bucket =
        S3Bucket.open(
            S3Settings.parse(
                s3.location(bucketName, "p"), S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
    urls = new S3ChunkUrls(bucket, Clock.systemUTC());
    blobs = new S3BlobStore(bucket);
  }

  @AfterEach
  void close() {
    bucket.close();
  }

  private static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new SplittableRandom(seed).nextBytes(data);
    return data;
  }

  private static Instant soon() {
    return Instant.now().plusSeconds(600);
  }

  /** The status of a PUT; -1 when the server hung up before reading the whole body. */
  private int put(String url, Map<String, String> headers, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    request.header("Content-Type", "application/octet-stream");
    // S3Proxy may close the connection after refusing a request, before or instead of answering;
    // a fresh connection per attempt and a retry let the refusal arrive. -1: it never did.
    for (int attempt = 0; attempt < 3; attempt++) {
      try (HttpClient fresh =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
        return fresh.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException refusedEarly) {
        // try again on a new connection
      }
    }
    return -1;
  }

  private int put(ChunkTransfer transfer, byte[] body) throws Exception {
    return put(transfer.url(), transfer.headers(), body);
  }

  private HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The URL with the first digit of its signature changed. */
  private static String tamperedSignature(String url) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("X-Amz-Signature=([0-9a-f])").matcher(url);
    assertThat(m.find()).isTrue();
    String other = m.group(1).equals("0") ? "1" : "0";
    return url.substring(0, m.start(1)) + other + url.substring(m.end(1));
  }

  private boolean staged(String user, Sha256 hash) {
    return s3.client()
        .listObjectsV2(b -> b.bucket(bucketName).prefix("p/staging/" + user + "/" + hash.hex()))
        .hasContents();
  }

  @Nested
  class A_put_url {

    @Test
    void goes_to_the_users_staging_key_and_asks_for_the_checksum_header() {
      byte[] data = bytes(1000, 1);
      Sha256 hash = Sha256.of(data);

      ChunkTransfer transfer = urls.put(hash, data.length, ALICE, soon());

      assertThat(transfer.url())
          .startsWith(s3.endpoint() + "/" + bucketName + "/p/staging/" + ALICE + "/" + hash.hex());
      assertThat(transfer.headers())
          .containsEntry("x-amz-checksum-sha256", Base64.getEncoder().encodeToString(hash.bytes()))
          .doesNotContainKeys("host", "Host", "content-length", "Content-Length");
      assertThat(transfer.url())
          .contains("X-Amz-SignedHeaders=content-length%3Bhost%3Bx-amz-checksum-sha256&");
      assertThat(transfer.hash()).isEqualTo(hash.hex());
      assertThat(transfer.length()).isEqualTo(1000);
    }

    @Test
    void takes_the_chunk_and_a_commit_claims_it_into_place() throws Exception {
      byte[] data = bytes(300_000, 2);
      Sha256 hash = Sha256.of(data);

      assertThat(put(urls.put(hash, data.length, ALICE, soon()), data)).isEqualTo(200);
      assertThat(blobs.exists(hash)).isFalse();

      assertThat(urls.claim(hash, data.length, ALICE)).isTrue();
      assertThat(blobs.read(hash)).isEqualTo(data);
      assertThat(staged(ALICE, hash)).isFalse();
      assertThat(urls.claim(hash, data.length, ALICE)).isFalse();
    }

    @Test
    void refuses_other_bytes_of_the_same_length() throws Exception {
      byte[] data = bytes(50_000, 3);
      Sha256 hash = Sha256.of(data);

      int status = put(urls.put(hash, data.length, ALICE, soon()), bytes(50_000, 4));

      assertThat(status).isEqualTo(400);
      assertThat(staged(ALICE, hash)).isFalse();
      assertThat(urls.claim(hash, data.length, ALICE)).isFalse();
      assertThat(blobs.exists(hash)).isFalse();
    }

    @Test
    void refuses_a_shorter_or_longer_body() throws Exception {
      byte[] data = bytes(50_000, 5);
      Sha256 hash = Sha256.of(data);
      ChunkTransfer transfer = urls.put(hash, data.length, ALICE, soon());

      assertThat(put(transfer, java.util.Arrays.copyOf(data, 49_999))).isIn(-1, 400, 403);
      assertThat(put(transfer, java.util.Arrays.copyOf(data, 50_001))).isIn(-1, 400, 403);
      assertThat(staged(ALICE, hash)).isFalse();
      assertThat(urls.claim(hash, data.length, ALICE)).isFalse();
    }

    @Test
    void refuses_a_request_without_the_checksum_header() throws Exception {
      byte[] data = bytes(10_000, 6);
      Sha256 hash = Sha256.of(data);

      int status = put(urls.put(hash, data.length, ALICE, soon()).url(), Map.of(), data);

      assertThat(status).isEqualTo(403);
      assertThat(staged(ALICE, hash)).isFalse();
    }

    @Test
    void refuses_a_tampered_url() throws Exception {
      byte[] data = bytes(10_000, 7);
      Sha256 hash = Sha256.of(data);
      ChunkTransfer transfer = urls.put(hash, data.length, ALICE, soon());

      String otherKey = transfer.url().replace("/staging/" + ALICE + "/", "/staging/" + BOB + "/");
      String otherSignature = tamperedSignature(transfer.url());
      String otherChunk = transfer.url().replace("/staging/" + ALICE + "/", "/chunks/");
      String longer = transfer.url().replaceAll("X-Amz-Expires=\\d+", "X-Amz-Expires=604800");

      assertThat(put(otherKey, transfer.headers(), data)).isEqualTo(403);
      assertThat(put(otherSignature, transfer.headers(), data)).isEqualTo(403);
      assertThat(put(otherChunk, transfer.headers(), data)).isEqualTo(403);
      assertThat(put(longer, transfer.headers(), data)).isEqualTo(403);
      assertThat(staged(ALICE, hash)).isFalse();
      assertThat(staged(BOB, hash)).isFalse();
    }

    @Test
    void expires() throws Exception {
      byte[] data = bytes(10_000, 8);
      Sha256 hash = Sha256.of(data);
      ChunkTransfer transfer = urls.put(hash, data.length, ALICE, Instant.now().plusSeconds(1));

      // A presigned URL lasts whole seconds from its signing second: two seconds cover both.
      Await.past(Instant.now().plusSeconds(2));

      assertThat(put(transfer, data)).isEqualTo(403);
      assertThat(staged(ALICE, hash)).isFalse();
    }
  }

  @Nested
  class A_claim {

    @Test
    void takes_only_the_users_own_staged_chunk() throws Exception {
      byte[] data = bytes(20_000, 9);
      Sha256 hash = Sha256.of(data);
      assertThat(put(urls.put(hash, data.length, ALICE, soon()), data)).isEqualTo(200);

      assertThat(urls.claim(hash, data.length, BOB)).isFalse();
      assertThat(blobs.exists(hash)).isFalse();
      assertThat(urls.claim(hash, data.length, ALICE)).isTrue();
    }

    @Test
    void of_a_chunk_already_stored_keeps_the_stored_one_and_clears_staging() throws Exception {
      byte[] data = bytes(20_000, 10);
      Sha256 hash = Sha256.of(data);
      blobs.put(hash, new java.io.ByteArrayInputStream(data), data.length);
      assertThat(put(urls.put(hash, data.length, BOB, soon()), data)).isEqualTo(200);

      assertThat(urls.claim(hash, data.length, BOB)).isTrue();
      assertThat(blobs.read(hash)).isEqualTo(data);
      assertThat(staged(BOB, hash)).isFalse();
    }

    @Test
    void refuses_and_clears_a_staged_object_whose_length_differs_from_the_manifest()
        throws Exception {
      byte[] data = bytes(20_000, 11);
      Sha256 hash = Sha256.of(data);
      assertThat(put(urls.put(hash, data.length, ALICE, soon()), data)).isEqualTo(200);

      assertThat(urls.claim(hash, data.length + 1, ALICE)).isFalse();
      assertThat(staged(ALICE, hash)).isFalse();
      assertThat(blobs.exists(hash)).isFalse();
    }

    @Test
    void checks_the_bytes_itself_when_the_store_kept_no_checksum() {
      byte[] data = bytes(20_000, 12);
      Sha256 hash = Sha256.of(data);
      String key = "p/staging/" + ALICE + "/" + hash.hex();
      s3.client()
          .putObject(b -> b.bucket(bucketName).key(key), RequestBody.fromBytes(bytes(20_000, 13)));

      assertThat(urls.claim(hash, data.length, ALICE)).isFalse();
      assertThat(blobs.exists(hash)).isFalse();

      s3.client().putObject(b -> b.bucket(bucketName).key(key), RequestBody.fromBytes(data));
      assertThat(urls.claim(hash, data.length, ALICE)).isTrue();
      assertThat(blobs.read(hash)).isEqualTo(data);
    }
  }

  @Nested
  class A_get_url {

    @Test
    void reads_the_stored_chunk_until_it_expires() throws Exception {
      byte[] data = bytes(70_000, 14);
      Sha256 hash = Sha256.of(data);
      blobs.put(hash, new java.io.ByteArrayInputStream(data), data.length);

      ChunkTransfer lasting = urls.get(hash, data.length, ALICE, soon());
      ChunkTransfer brief = urls.get(hash, data.length, ALICE, Instant.now().plusSeconds(1));

      assertThat(lasting.headers()).isEmpty();
      HttpResponse<byte[]> response = get(lasting.url());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(data);
      Await.past(Instant.now().plusSeconds(2));
      assertThat(get(brief.url()).statusCode()).isEqualTo(403);
    }

    @Test
    void serves_a_chunk_stored_as_html_as_an_attachment_of_no_particular_type() throws Exception {
      byte[] data =
          "<html><script>alert(1)</script></html>"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Sha256 hash = Sha256.of(data);
      ChunkTransfer upload = urls.put(hash, data.length, ALICE, soon());
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(upload.url()))
              .PUT(HttpRequest.BodyPublishers.ofByteArray(data));
      upload.headers().forEach(request::header);
      request.header("Content-Type", "text/html");
      assertThat(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(200);
      assertThat(urls.claim(hash, data.length, ALICE)).isTrue();

      HttpResponse<byte[]> response = get(urls.get(hash, data.length, ALICE, soon()).url());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type"))
          .hasValue("application/octet-stream");
      assertThat(response.headers().firstValue("content-disposition")).hasValue("attachment");
      assertThat(response.body()).isEqualTo(data);
    }

    @Test
    void cannot_be_turned_into_a_url_for_a_staged_object() throws Exception {
      byte[] data = bytes(10_000, 15);
      Sha256 hash = Sha256.of(data);
      assertThat(put(urls.put(hash, data.length, BOB, soon()), data)).isEqualTo(200);

      String url = urls.get(hash, data.length, ALICE, soon()).url();
      String hex = hash.hex();
      String tampered =
          url.replace("/chunks/" + hex.substring(0, 2) + "/", "/staging/" + BOB + "/");

      assertThat(get(tampered).statusCode()).isEqualTo(403);
    }
  }
}
