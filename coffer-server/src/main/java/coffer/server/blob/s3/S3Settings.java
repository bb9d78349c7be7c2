package coffer.server.blob.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where chunks live in S3: {@code
 * s3://BUCKET/optional/prefix?endpoint=URL&region=R&pathStyle=true}. Without {@code endpoint} the
 * store is AWS S3 itself; {@code pathStyle=true} suits local servers (MinIO, S3Proxy, Ceph) that do
 * not serve {@code BUCKET.host} names. Credentials come from the AWS SDK's default chain ({@code
 * AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, a profile, an instance role…) unless given
 * here programmatically; they never belong in the URI.
 *
 * @param bucket the bucket, which must exist
 * @param prefix a key prefix ending in {@code /}, or empty
 * @param endpoint the S3 endpoint, or null for AWS's own
 * @param region the signing region
 * @param pathStyle whether to address the bucket in the path instead of the host name
 * @param accessKey an access key id, or null for the default chain
 * @param secretKey its secret, or null for the default chain
 * @param encryption the server-side encryption S3 applies to every chunk ({@code AES256} for
 *     SSE-S3, {@code aws:kms} for SSE-KMS), or null for the bucket's default
 * @param kmsKeyId the KMS key for {@code aws:kms}, or null for the account's default key
 */
public record S3Settings(
    String bucket,
    String prefix,
    URI endpoint,
    String region,
    boolean pathStyle,
    String accessKey,
    String secretKey,
    String encryption,
    String kmsKeyId) {

  /** The server-side encryption values S3 knows. */
  private static final java.util.Set<String> ENCRYPTIONS =
      java.util.Set.of("AES256", "aws:kms", "aws:kms:dsse");

  /** The region used when neither the URI nor {@code AWS_REGION} names one. */
  public static final String DEFAULT_REGION = "us-east-1";

  public S3Settings {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("an S3 location needs a bucket: s3://BUCKET/prefix");
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("give both an S3 access key and its secret, or neither");
    }
    prefix = prefix == null ? "" : prefix;
    if (encryption != null && !ENCRYPTIONS.contains(encryption)) {
      throw new IllegalArgumentException(
          "sse is AES256 (SSE-S3), aws:kms or aws:kms:dsse (SSE-KMS), not '" + encryption + "'");
    }
    if (kmsKeyId != null && (encryption == null || !encryption.startsWith("aws:kms"))) {
      throw new IllegalArgumentException("kmsKeyId goes with sse=aws:kms");
    }
  }

  /**
   * Reads an {@code s3://} URI; {@code accessKey} and {@code secretKey} may be null to use the
   * default credential chain.
   */
  public static S3Settings parse(String location, String accessKey, String secretKey) {
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not an S3 location: " + e.getMessage(), e);
    }
    if (!"s3".equalsIgnoreCase(uri.getScheme()) || uri.getRawAuthority() == null) {
      throw new IllegalArgumentException(
          "an S3 location looks like s3://BUCKET/optional/prefix?endpoint=URL&region=R&pathStyle=true,"
              + " not '"
              + location
              + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "keep S3 credentials out of the location: use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String prefix = path.replaceAll("^/+", "").replaceAll("/+$", "");
    URI endpoint = null;
    String region = null;
    boolean pathStyle = false;
    String encryption = null;
    String kmsKeyId = null;
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        switch (key) {
          case "endpoint" -> endpoint = endpoint(value);
          case "region" -> region = value;
          case "pathStyle" -> pathStyle = bool(value);
          case "sse" -> encryption = value.isBlank() ? null : value;
          case "kmsKeyId" -> kmsKeyId = value.isBlank() ? null : value;
          default ->
              throw new IllegalArgumentException(
                  "unknown S3 option '"
                      + key
                      + "': the options are endpoint, region, pathStyle, sse and kmsKeyId");
        }
      }
    }
    if (region == null || region.isBlank()) {
      String env = System.getenv("AWS_REGION");
      region = env == null || env.isBlank() ? DEFAULT_REGION : env;
    }
    return new S3Settings(
        uri.getRawAuthority(),
        prefix.isEmpty() ? "" : prefix + "/",
        endpoint,
        region,
        pathStyle,
        accessKey,
        secretKey,
        encryption,
        kmsKeyId);
  }

  /** The location without credentials, for messages. */
  public String describe() {
    return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint);
  }

  @Override
  public String toString() {
    return describe();
  }

  private static URI endpoint(String value) {
    try {
      URI endpoint = new URI(value);
      String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme();
      if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "the S3 endpoint is an http or https URL, not '" + value + "'");
      }
      return endpoint;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the S3 endpoint is not a URL: " + e.getMessage(), e);
    }
  }

  private static boolean bool(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "", "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw new IllegalArgumentException("pathStyle is true or false, not '" + value + "'");
    };
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
