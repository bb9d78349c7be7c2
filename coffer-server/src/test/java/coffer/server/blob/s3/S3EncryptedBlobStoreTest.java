package coffer.server.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.api.ChunkTransfer;
import coffer.core.hash.Sha256;
import coffer.server.blob.BlobStore;
import coffer.server.blob.BlobStoreContract;
import coffer.server.support.S3Server;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * An S3 store that asks for server-side encryption ({@code sse=AES256}): the whole contract holds,
 * and browsers and clients uploading through presigned URLs are told to send the header too.
 */
class S3EncryptedBlobStoreTest extends BlobStoreContract {

  private final S3Server s3 = S3Server.shared();
  private S3Bucket bucket;

  @Override
  protected BlobStore newStore() {
    bucket =
        S3Bucket.open(
            S3Settings.parse(
                s3.location(s3.newBucket(), "enc") + "&sse=AES256",
                S3Server.ACCESS_KEY,
                S3Server.SECRET_KEY));
    bucket.check();
    return new S3BlobStore(bucket);
  }

  @Override
  protected void closeStore(BlobStore store) {
    bucket.close();
  }

  @Nested
  class Presigned {

    @Test
    void a_put_url_signs_the_encryption_header_and_an_upload_that_sends_it_is_claimed()
        throws Exception {
      byte[] data = bytes(5_000, 7);
      Sha256 hash = Sha256.of(data);
      S3ChunkUrls urls = new S3ChunkUrls(bucket, Clock.systemUTC());

      ChunkTransfer transfer = urls.put(hash, data.length, "ALICE", Instant.now().plusSeconds(60));

      assertThat(transfer.headers()).containsEntry("x-amz-server-side-encryption", "AES256");
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(transfer.url()))
              .PUT(HttpRequest.BodyPublishers.ofByteArray(data));
      transfer.headers().forEach(request::header);
      try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
        assertThat(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode())
            .isEqualTo(200);
      }
      assertThat(urls.claim(hash, data.length, "ALICE")).isTrue();
      assertThat(store.read(hash)).isEqualTo(data);
    }
  }
}
