package coffer.server.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3SettingsTest {

  @Test
  void a_full_location_names_bucket_prefix_endpoint_region_and_path_style() {
    S3Settings settings =
        S3Settings.parse(
            "s3://my-bucket/some/prefix/?endpoint=http://127.0.0.1:9000&region=eu-west-1&pathStyle=true",
            null,
            null);

    assertThat(settings.bucket()).isEqualTo("my-bucket");
    assertThat(settings.prefix()).isEqualTo("some/prefix/");
    assertThat(settings.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(settings.region()).isEqualTo("eu-west-1");
    assertThat(settings.pathStyle()).isTrue();
    assertThat(settings.accessKey()).isNull();
  }

  @Test
  void a_bare_bucket_is_aws_itself_without_a_prefix() {
    S3Settings settings = S3Settings.parse("s3://bucket", "key", "secret");

    assertThat(settings.bucket()).isEqualTo("bucket");
    assertThat(settings.prefix()).isEmpty();
    assertThat(settings.endpoint()).isNull();
    assertThat(settings.pathStyle()).isFalse();
    assertThat(settings.region()).isNotBlank();
  }

  @Test
  void an_encoded_endpoint_is_decoded() {
    S3Settings settings =
        S3Settings.parse("s3://b/p?endpoint=https%3A%2F%2Fs3.example.org%3A8443", null, null);

    assertThat(settings.endpoint()).isEqualTo(URI.create("https://s3.example.org:8443"));
  }

  @Test
  void the_secret_never_shows_in_messages() {
    S3Settings settings = S3Settings.parse("s3://b/p", "key", "the-secret");

    assertThat(settings.toString()).doesNotContain("the-secret");
  }

  @Test
  void malformed_locations_are_refused_with_a_reason() {
    assertThatThrownBy(() -> S3Settings.parse("http://bucket/p", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://BUCKET");
    assertThatThrownBy(() -> S3Settings.parse("s3:///prefix", null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Settings.parse("s3://key:secret@bucket", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AWS_ACCESS_KEY_ID")
        .message()
        .doesNotContain("secret@");
    assertThatThrownBy(() -> S3Settings.parse("s3://b?endpoint=ftp://x", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> S3Settings.parse("s3://b?colour=blue", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("colour");
    assertThatThrownBy(() -> S3Settings.parse("s3://b", "key-without-secret", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void server_side_encryption_is_read_and_checked() {
    S3Settings sseS3 = S3Settings.parse("s3://b/p?sse=AES256", null, null);
    S3Settings kms =
        S3Settings.parse("s3://b/p?sse=aws:kms&kmsKeyId=arn:aws:kms:eu:1:key/k", null, null);

    assertThat(S3Settings.parse("s3://b/p", null, null).encryption()).isNull();
    assertThat(sseS3.encryption()).isEqualTo("AES256");
    assertThat(sseS3.kmsKeyId()).isNull();
    assertThat(kms.encryption()).isEqualTo("aws:kms");
    assertThat(kms.kmsKeyId()).isEqualTo("arn:aws:kms:eu:1:key/k");
    assertThatThrownBy(() -> S3Settings.parse("s3://b?sse=rot13", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AES256");
    assertThatThrownBy(() -> S3Settings.parse("s3://b?sse=AES256&kmsKeyId=k", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kmsKeyId goes with sse=aws:kms");
  }
}
