package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.hash.Sha256;
import coffer.server.ServerConfig;
import coffer.server.blob.UrlSigner;
import coffer.server.support.Bytes;
import coffer.server.support.Reply;
import coffer.server.support.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The chunked upload protocol with local blobs and the server's own signed chunk URLs. */
class UploadApiTest extends UploadApiContract {

  @Override
  TestServer start(Path data, UnaryOperator<ServerConfig> customize) {
    return TestServer.start(data, customize);
  }

  @Override
  boolean stored(byte[] chunk) {
    return Files.exists(blobFile(chunk));
  }

  @Override
  long storedSize(byte[] chunk) {
    try {
      return Files.size(blobFile(chunk));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path blobFile(byte[] chunk) {
    String hex = Sha256.of(chunk).hex();
    return data.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex);
  }

  private Reply put(String url, byte[] body) {
    return server.send(
        server.request("/" + url).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /** The URL with the first digit of its signature changed. */
  private static String tamperedSignature(String url) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("signature=([0-9a-f])").matcher(url);
    assertThat(m.find()).isTrue();
    String other = m.group(1).equals("0") ? "1" : "0";
    return url.substring(0, m.start(1)) + other + url.substring(m.end(1));
  }

  @Test
  void asked_again_after_an_interruption_lists_only_what_never_arrived() {
    byte[] a = Bytes.random(100_000, 3);
    byte[] b = Bytes.random(100_000, 4);
    JsonNode first = begin(alice, "/r.bin", List.of(chunk(a), chunk(b)));
    put(first.path("missing").get(0).path("url").asText(), a).expect(204);

    JsonNode again = begin(alice, "/r.bin", List.of(chunk(a), chunk(b)));
    assertThat(again.path("missing")).hasSize(1);
    assertThat(again.path("missing").get(0).path("hash").asText()).isEqualTo(Sha256.of(b).hex());
  }

  @Nested
  class Presigned_chunk_urls {
    @Test
    void reject_a_tampered_url_with_403_and_store_nothing() {
      byte[] a = Bytes.random(50_000, 6);
      String url =
          begin(alice, "/t.bin", List.of(chunk(a))).path("missing").get(0).path("url").asText();
      put(url.replace("length=50000", "length=50001"), a).expectProblem(403, "invalid-signature");
      put(tamperedSignature(url), a).expectProblem(403);
      put(url.replaceAll("user=[^&]+", "user=someone-else"), a).expectProblem(403);
      assertThat(stored(a)).isFalse();
    }

    @Test
    void reject_an_expired_url_with_403() throws Exception {
      byte[] a = Bytes.random(50_000, 7);
      String user = alice.get("/api/v1/account").expect(200).json().path("id").asText();
      UrlSigner signer =
          new UrlSigner(Files.readAllBytes(data.resolve("secret.key")), Clock.systemUTC());
      String expired =
          signer.sign("PUT", Sha256.of(a), a.length, user, Instant.now().minusSeconds(1));
      put(expired, a).expectProblem(403, "invalid-signature");
      String valid =
          signer.sign("PUT", Sha256.of(a), a.length, user, Instant.now().plusSeconds(60));
      put(valid, a).expect(204);
    }

    @Test
    void reject_a_body_whose_hash_differs_and_store_nothing() {
      byte[] a = Bytes.random(50_000, 8);
      byte[] wrong = Bytes.random(50_000, 9);
      String url =
          begin(alice, "/h.bin", List.of(chunk(a))).path("missing").get(0).path("url").asText();
      put(url, wrong).expectProblem(400, "hash-mismatch");
      assertThat(stored(a)).isFalse();
      assertThat(stored(wrong)).isFalse();
    }
  }
}
