package coffer.server.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.core.error.CofferException;
import coffer.core.error.StorageException;
import coffer.core.hash.Sha256;
import coffer.server.blob.BlobStore;
import coffer.server.blob.BlobStoreContract;
import coffer.server.support.Await;
import coffer.server.support.S3Server;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/** {@link S3BlobStore} against a real S3 server (S3Proxy), under a key prefix. */
class S3BlobStoreTest extends BlobStoreContract {

  private static final String PREFIX = "some/prefix/";

  private final S3Server s3 = S3Server.shared();
  private String bucketName;
  private S3Bucket bucket;

  @Override
  protected BlobStore newStore() {
    bucketName = s3.newBucket();
    bucket =
        S3Bucket.open(
            S3Settings.parse(
                s3.location(bucketName, PREFIX), S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
    bucket.check();
    return new S3BlobStore(bucket);
  }

  @Override
  protected void closeStore(BlobStore store) {
    bucket.close();
  }

  /** Where the store keeps a blob: {@code <prefix>chunks/<first two hex>/<hex>}. */
  private static String key(Sha256 hash) {
    return PREFIX + "chunks/" + hash.hex().substring(0, 2) + "/" + hash.hex();
  }

  private List<String> keys() {
    List<String> keys = new ArrayList<>();
    s3.client()
        .listObjectsV2Paginator(b -> b.bucket(bucketName))
        .contents()
        .forEach(o -> keys.add(o.key()));
    return keys;
  }

  private void overwrite(Sha256 hash, byte[] data) {
    s3.client().putObject(b -> b.bucket(bucketName).key(key(hash)), RequestBody.fromBytes(data));
  }

  @Nested
  class In_the_bucket {

    @Test
    void a_blob_lives_at_its_chunk_key_with_its_sha256_as_checksum() {
      Sha256 hash = put(bytes("in the bucket"));

      assertThat(keys()).containsExactly(key(hash));
      var head =
          s3.client()
              .headObject(
                  b -> b.bucket(bucketName).key(key(hash)).checksumMode(ChecksumMode.ENABLED));
      assertThat(head.contentLength()).isEqualTo(13);
      assertThat(head.checksumSHA256()).isEqualTo(Base64.getEncoder().encodeToString(hash.bytes()));
    }

    @Test
    void a_blob_corrupted_in_the_store_is_refused_on_read() {
      byte[] data = bytes(70_000, 9);
      Sha256 hash = put(data);
      byte[] corrupt = data.clone();
      corrupt[12_345] ^= 0x01;
      overwrite(hash, corrupt);

      assertThatThrownBy(() -> store.read(hash))
          .isInstanceOf(StorageException.class)
          .extracting(e -> ((CofferException) e).type())
          .isEqualTo("blob-corrupt");
    }

    @Test
    void a_truncated_blob_is_refused_on_read() {
      byte[] data = bytes(70_000, 10);
      Sha256 hash = put(data);
      overwrite(hash, Arrays.copyOf(data, 69_999));

      assertThatThrownBy(() -> store.read(hash)).isInstanceOf(StorageException.class);
    }

    @Test
    void a_missing_blob_is_blob_missing() {
      assertThatThrownBy(() -> store.read(Sha256.of(bytes("never"))))
          .isInstanceOf(StorageException.class)
          .extracting(e -> ((CofferException) e).type())
          .isEqualTo("blob-missing");
    }

    @Test
    void a_refused_put_leaves_no_object_behind() {
      byte[] data = bytes(50_000, 2);
      try {
        store.put(Sha256.of(bytes("other")), new ByteArrayInputStream(data), data.length);
      } catch (RuntimeException expected) {
        // refused, as the contract says
      }
      try {
        store.put(Sha256.of(data), new ByteArrayInputStream(data, 0, 10), data.length);
      } catch (RuntimeException expected) {
        // refused, as the contract says
      }

      assertThat(keys()).isEmpty();
    }

    @Test
    void storing_a_blob_again_renews_its_time_for_garbage_collection() throws Exception {
      byte[] data = bytes("renewed");
      Sha256 hash = put(data);
      Instant first = modified(hash);
      Await.past(first.plusSeconds(1)); // S3 keeps whole seconds

      put(data);

      assertThat(modified(hash)).isAfter(first);
      assertThat(store.read(hash)).isEqualTo(data);
    }

    @Test
    void a_listing_pages_through_many_blobs_and_skips_other_objects() {
      List<Sha256> stored = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        stored.add(put(bytes("blob " + i)));
      }
      s3.client()
          .putObject(
              b -> b.bucket(bucketName).key(PREFIX + "chunks/ab/not-a-chunk"),
              RequestBody.fromString("x"));
      s3.client()
          .putObject(
              b -> b.bucket(bucketName).key(PREFIX + "staging/user/" + stored.get(0).hex()),
              RequestBody.fromString("x"));
      s3.client()
          .putObject(
              b -> b.bucket(bucketName).key("chunks/00/" + "0".repeat(64)),
              RequestBody.fromString("outside the prefix"));

      List<Sha256> listed = new ArrayList<>();
      new S3BlobStore(bucket, 25).list(blob -> listed.add(blob.hash()));

      assertThat(listed).containsExactlyInAnyOrderElementsOf(stored);
    }

    private Instant modified(Sha256 hash) {
      List<Instant> times = new ArrayList<>();
      store.list(
          blob -> {
            if (blob.hash().equals(hash)) {
              times.add(blob.modified());
            }
          });
      assertThat(times).hasSize(1);
      return times.get(0);
    }
  }

  @Nested
  class Opening {

    @Test
    void a_bucket_that_does_not_exist_is_refused_in_one_line() {
      try (S3Bucket missing =
          S3Bucket.open(
              S3Settings.parse(
                  s3.location("no-such-bucket", null), S3Server.ACCESS_KEY, S3Server.SECRET_KEY))) {
        assertThatThrownBy(missing::check)
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("no-such-bucket")
            .hasMessageContaining("does not exist")
            .hasNoCause()
            .message()
            .doesNotContain("\n");
      }
    }

    @Test
    void wrong_credentials_are_refused_in_one_line() {
      try (S3Bucket refused =
          S3Bucket.open(
              S3Settings.parse(s3.location(bucketName, null), S3Server.ACCESS_KEY, "wrong"))) {
        assertThatThrownBy(refused::check)
            .isInstanceOf(StorageException.class)
            .hasMessageContaining(bucketName)
            .message()
            .doesNotContain("\n");
      }
    }

    @Test
    void an_unreachable_endpoint_is_refused_in_one_line() {
      String location = "s3://bucket?endpoint=http://127.0.0.1:1&pathStyle=true";
      try (S3Bucket unreachable =
          S3Bucket.open(S3Settings.parse(location, S3Server.ACCESS_KEY, S3Server.SECRET_KEY))) {
        assertThatThrownBy(unreachable::check)
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("cannot reach S3")
            .hasMessageContaining("127.0.0.1:1")
            .message()
            .doesNotContain("\n");
      }
    }
  }
}
