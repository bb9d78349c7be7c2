package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.cli.Processes.Result;
import coffer.cli.Processes.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code coffer} jar with its chunks in S3 (a real S3Proxy in the test's JVM), credentials
 * from the environment as the AWS SDK's default chain reads them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3CliIT {

  /** What an operator exports; the instance-metadata lookup is off so nothing leaves loopback. */
  private static final Map<String, String> AWS_ENV =
      Map.of(
          "AWS_ACCESS_KEY_ID",
          LocalS3.ACCESS_KEY,
          "AWS_SECRET_ACCESS_KEY",
          LocalS3.SECRET_KEY,
          "AWS_REGION",
          "us-east-1",
          "AWS_EC2_METADATA_DISABLED",
          "true");

  @TempDir static Path tmp;
  private LocalS3 s3;
  private Server server;
  private Path home;
  private Path work;

  @BeforeAll
  void start() throws Exception {
    s3 = LocalS3.start();
    server = Server.start(tmp.resolve("data"), AWS_ENV, "--blobs", s3.location("cli"));
    home = Files.createDirectories(tmp.resolve("home"));
    work = Files.createDirectories(tmp.resolve("work"));
    assertThat(
            run(
                    "hunter2hunter2\n",
                    "signup",
                    "--server",
                    server.url(),
                    "--user",
                    "alice",
                    "--password-stdin")
                .exit())
        .isZero();
    assertThat(
            run(
                    "hunter2hunter2\n",
                    "login",
                    "--server",
                    server.url(),
                    "--user",
                    "alice",
                    "--password-stdin")
                .exit())
        .isZero();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
    s3.close();
  }

  private Result run(String stdin, String... args) throws Exception {
    return Processes.cli(home, work, AWS_ENV, stdin, args);
  }

  @Test
  void put_then_get_goes_through_the_bucket() throws Exception {
    byte[] data = new byte[9 * 1024 * 1024 + 17];
    new Random(1).nextBytes(data);
    Files.write(work.resolve("video.bin"), data);

    Result put = run(null, "put", "video.bin", "/Videos/");
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(s3.storedBytes("cli")).isEqualTo(data.length);

    Result get = run(null, "get", "/Videos/video.bin", "copy.bin");
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(Files.readAllBytes(work.resolve("copy.bin"))).isEqualTo(data);
  }

  @Test
  void a_missing_bucket_stops_the_server_with_one_line() throws Exception {
    String missing = s3.location("x").replace(LocalS3.BUCKET, "no-such-bucket");

    Result result =
        run(
            null,
            "server",
            "--port",
            "0",
            "--data",
            tmp.resolve("other").toString(),
            "--blobs",
            missing);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err().strip())
        .startsWith("coffer: cannot start the server: ")
        .contains("no-such-bucket")
        .contains("does not exist")
        .doesNotContain("\n")
        .doesNotContain("Exception");
  }

  @Test
  void a_location_that_is_not_one_is_a_usage_error() throws Exception {
    Result result = run(null, "server", "--port", "0", "--blobs", "ftp://somewhere");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--blobs");
  }
}
