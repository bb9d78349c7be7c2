package coffer.cli;

import coffer.client.CofferClient;
import coffer.client.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/** How a command finds its server and token: the saved session under {@code $COFFER_HOME}. */
final class SessionOptions {
  private SessionOptions() {}

  static CofferClient client() {
    try {
      Session session =
          Session.load(Session.home())
              .orElseThrow(
                  () ->
                      new UserException(
                          "not signed in: run 'coffer login --server URL --user NAME' first"));
      return CofferClient.of(session);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static URI server(String flag) {
    if (flag != null) {
      return URI.create(flag);
    }
    String env = System.getenv("COFFER_SERVER");
    if (env != null && !env.isBlank()) {
      return URI.create(env);
    }
    try {
      return Session.load(Session.home())
          .map(s -> URI.create(s.server()))
          .orElse(URI.create("http://127.0.0.1:8080"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
