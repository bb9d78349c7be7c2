package coffer.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import coffer.server.support.FreshServerTest;
import coffer.server.support.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What an operator sees: health, readiness, metrics, request ids, the access log, a clean stop. */
class OperationsApiTest extends FreshServerTest {

  private final ListAppender<ILoggingEvent> access = new ListAppender<>();
  private Logger accessLogger;
  private Level levelBefore;

  @BeforeEach
  void captureAccessLog() {
    accessLogger = (Logger) LoggerFactory.getLogger("coffer.access");
    levelBefore = accessLogger.getLevel();
    accessLogger.setLevel(Level.INFO);
    access.start();
    accessLogger.addAppender(access);
  }

  @AfterEach
  void releaseAccessLog() {
    accessLogger.detachAppender(access);
    accessLogger.setLevel(levelBefore);
  }

  @Test
  void health_and_readiness_answer_without_a_token() {
    assertThat(server.get("/healthz").expect(200).json().path("status").asText()).isEqualTo("ok");
    assertThat(server.get("/readyz").expect(200).json().path("status").asText()).isEqualTo("ready");
  }

  @Test
  void every_answer_carries_a_request_id_and_a_proxys_sane_one_is_kept() {
    String made = server.get("/healthz").header("X-Request-Id");
    assertThat(made).matches("[0-9a-z]{26}");
    assertThat(server.get("/healthz", "X-Request-Id", "nginx-42.a_b").header("X-Request-Id"))
        .isEqualTo("nginx-42.a_b");
    String unsafe = "x".repeat(65);
    assertThat(server.get("/healthz", "X-Request-Id", unsafe).header("X-Request-Id"))
        .isNotEqualTo(unsafe)
        .matches("[0-9a-z]{26}");
    Reply refused = alice.get("/api/v1/files/nope/metadata");
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.header("X-Request-Id")).isNotBlank();
  }

  @Test
  void metrics_count_requests_by_route_uploads_commits_and_hints_in_prometheus_format() {
    JsonNode file = alice.uploaded("/report.txt", "numbers".getBytes());
    alice.get("/api/v1/files/" + file.path("id").asText() + "/metadata").expect(200);
    alice
        .post(
            "/api/v1/batch",
            Map.of("operations", List.of(Map.of("opId", "op-1", "op", "mkdir", "path", "/folder"))))
        .expect(200);

    Reply metrics = server.get("/metrics").expect(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    String text = metrics.text();
    assertThat(text)
        .contains("coffer_http_requests_seconds_bucket{")
        .contains("route=\"/api/v1/files/{fileId}/metadata\"")
        .contains("coffer_uploads_total 1.0")
        .contains("coffer_batch_commits_total 1.0")
        .contains("coffer_connections_open")
        .contains("coffer_longpolls_waiting")
        .contains("jvm_memory_used_bytes");
    assertThat(value(text, "coffer_notifications_total")).isGreaterThanOrEqualTo(2);
    assertThat(text).doesNotContain(file.path("id").asText());
  }

  @Test
  void the_access_log_has_one_line_a_request_with_its_id_and_never_a_token() {
    JsonNode file = alice.uploaded("/shared.txt", "hello".getBytes());
    JsonNode link =
        alice.post("/api/v1/files/" + file.path("id").asText() + "/links", null).expect(201).json();
    String url = link.path("url").asText();
    String token = url.substring(url.lastIndexOf('/') + 1);
    String id = server.get(url.substring(url.indexOf("/api/"))).expect(200).header("X-Request-Id");

    List<String> lines = access.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).anyMatch(l -> l.contains("request_id=" + id) && l.contains("status=200"));
    assertThat(lines)
        .anyMatch(
            l -> l.contains("path=/api/v1/files") && l.contains("user=") && !l.contains("user=-"));
    assertThat(String.join("\n", lines)).doesNotContain(token).doesNotContain(alice.token());
  }

  @Test
  void a_stopping_server_finishes_the_upload_in_flight_before_it_closes() throws Exception {
    CountDownLatch halfSent = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    byte[] content = new byte[2 << 20];
    java.util.Arrays.fill(content, (byte) 7);
    // Each on a thread of its own: a shared pool could run the stop only after the upload.
    CompletableFuture<Reply> upload =
        onOwnThread(
            () ->
                alice.upload(
                    "/in-flight.bin", () -> new Paused(content, halfSent, goOn), content.length));
    assertThat(halfSent.await(30, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(200); // the first half is on the server's side of the socket
    CompletableFuture<Boolean> stopping =
        onOwnThread(
            () -> {
              server.close();
              return true;
            });
    Thread.sleep(500); // the stop has begun and waits for the request
    assertThat(stopping).isNotDone();
    assertThat(upload).isNotDone();
    goOn.countDown();
    assertThat(upload.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
    stopping.get(30, TimeUnit.SECONDS);
    server = coffer.server.support.TestServer.start(data);
    JsonNode stored = server.login("alice").lookup("/in-flight.bin").expect(200).json();
    assertThat(stored.path("size").asLong()).isEqualTo(content.length);
  }

  @Test
  void a_stopping_server_answers_parked_long_polls_at_once_instead_of_waiting_for_them()
      throws Exception {
    String cursor = alice.get("/api/v1/changes").expect(200).json().path("cursor").asText();
    CompletableFuture<Reply> poll =
        onOwnThread(
            () ->
                alice.get(
                    "/api/v1/changes/wait?timeout=60&cursor="
                        + java.net.URLEncoder.encode(
                            cursor, java.nio.charset.StandardCharsets.UTF_8)));
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
    while (server.server().waitingLongPolls() == 0) {
      assertThat(java.time.Instant.now()).as("the long-poll parks").isBefore(deadline);
      Thread.sleep(5);
    }
    CompletableFuture<Boolean> stopping =
        onOwnThread(
            () -> {
              server.close();
              return true;
            });
    // Well inside the stop's grace (30 s) and the poll's own minute: the stop answered it.
    assertThat(poll.get(15, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(stopping.get(15, TimeUnit.SECONDS)).isTrue();
    server = coffer.server.support.TestServer.start(data);
  }

  private static <T> CompletableFuture<T> onOwnThread(java.util.function.Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                result.complete(work.get());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  private static double value(String text, String metric) {
    return text.lines()
        .filter(l -> l.startsWith(metric + " ") || l.startsWith(metric + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** A body that stops halfway until told to go on. */
  private static final class Paused extends InputStream {
    private final byte[] content;
    private final CountDownLatch halfSent;
    private final CountDownLatch goOn;
    private int at;

    Paused(byte[] content, CountDownLatch halfSent, CountDownLatch goOn) {
      this.content = content;
      this.halfSent = halfSent;
      this.goOn = goOn;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (at >= content.length) {
        return -1;
      }
      if (at >= content.length / 2 && goOn.getCount() > 0) {
        halfSent.countDown();
        try {
          goOn.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      int end = at < content.length / 2 ? content.length / 2 : content.length;
      int n = Math.min(length, end - at);
      System.arraycopy(content, at, buffer, offset, n);
      at += n;
      return n;
    }
  }
}
