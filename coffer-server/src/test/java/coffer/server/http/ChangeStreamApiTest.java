package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.server.support.Account;
import coffer.server.support.FreshServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/changes/stream}: a WebSocket that says when to fetch changes. */
class ChangeStreamApiTest extends FreshServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private WebSocket connect(Account who, String cursor, BlockingQueue<String> messages) {
    URI uri =
        URI.create(
            server.url().toString().replace("http://", "ws://")
                + "/api/v1/changes/stream"
                + (cursor == null ? "" : "?cursor=" + cursor));
    return http.newWebSocketBuilder()
        .header("Authorization", "Bearer " + who.token())
        .buildAsync(
            uri,
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                messages.add(data.toString());
                ws.request(1);
                return null;
              }
            })
        .join();
  }

  private String cursor() {
    return alice.get("/api/v1/changes").expect(200).json().path("cursor").asText();
  }

  @Test
  void a_commit_on_another_device_is_signalled_on_the_stream() throws Exception {
    String cursor = cursor();
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws = connect(alice, cursor, messages);
    Account phone = server.login("alice");

    phone.folder("/from-phone");

    assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"changed\":true}");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  @Test
  void changes_already_waiting_are_signalled_at_once_and_a_quiet_feed_sends_nothing()
      throws Exception {
    String cursor = cursor();
    alice.folder("/made-before-connecting");
    BlockingQueue<String> behind = new LinkedBlockingQueue<>();
    connect(alice, cursor, behind);
    assertThat(behind.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"changed\":true}");

    BlockingQueue<String> upToDate = new LinkedBlockingQueue<>();
    connect(alice, cursor(), upToDate);
    Account bob = server.newAccount("bob");
    bob.folder("/bobs-own"); // another user's change is not alice's business
    assertThat(upToDate.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void a_stream_follows_a_folder_shared_after_it_opened_and_stops_when_the_share_ends()
      throws Exception {
    Account bob = server.newAccount("bob");
    String docs = alice.folder("/Docs").path("id").asText();
    String bobsCursor = bob.get("/api/v1/changes").expect(200).json().path("cursor").asText();
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws = connect(bob, bobsCursor, messages);

    alice
        .post(
            "/api/v1/files/" + docs + "/share",
            java.util.Map.of(
                "users", java.util.List.of("bob"), "permissions", java.util.List.of("viewer")))
        .expect(200);
    // The stream signals after it has re-read what bob sees: the new folder is followed now.
    assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"changed\":true}");

    alice.uploaded("/Docs/new.txt", new byte[] {1});
    assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"changed\":true}");

    alice.delete("/api/v1/files/" + docs + "/share/bob").expect(204);
    assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"changed\":true}");
    messages.clear();
    alice.uploaded("/Docs/after.txt", new byte[] {2});
    assertThat(messages.poll(500, TimeUnit.MILLISECONDS)).isNull();
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  @Test
  void the_stream_needs_a_valid_token() {
    URI uri =
        URI.create(server.url().toString().replace("http://", "ws://") + "/api/v1/changes/stream");
    assertThatThrownBy(
            () ->
                http.newWebSocketBuilder()
                    .header("Authorization", "Bearer cft_forged")
                    .buildAsync(uri, new WebSocket.Listener() {})
                    .join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
  }
}
