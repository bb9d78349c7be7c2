package coffer.sim;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.client.LocalChunks;
import coffer.core.model.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server takes an upload but its answer never arrives (it stopped, the connection broke), and
 * the user edits the file before the next round: the edit is an edit of what landed, so it takes
 * the file's name on every device, with no conflicted copy of this device's own upload.
 */
class LostAnswerTest {

  @TempDir Path work;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"100, batch", "3145728, commit upload"}) // sent inline in a batch, and in chunks
  void an_edit_after_an_upload_whose_answer_was_lost_is_an_edit_not_a_conflict(
      int size, String lostCall) throws Exception {
    SimClock clock = new SimClock();
    Consumer<String> trace = line -> {};
    AutoCloseable ids = Ids.drawnFrom(new Random(7));
    try (SimServer server = new SimServer(Files.createDirectories(work.resolve("server")), clock)) {
      Chaos chaos = new Chaos(new Random(7), trace);
      chaos.odds(Chaos.Odds.NONE);
      try (SimDevice a = device("A", server, chaos, clock, trace);
          SimDevice b = device("B", server, chaos, clock, trace)) {
        a.sync();
        b.sync();
        Path notes = a.root.resolve("notes.txt");
        Files.write(notes, content(size, 1));
        clock.advance(Duration.ofSeconds(1));

        // The server takes the upload; its answer is lost; the user edits the file meanwhile.
        chaos.loseNextAnswerTo(
            lostCall,
            () -> {
              try {
                clock.advance(Duration.ofSeconds(1));
                Files.write(notes, content(size + 10, 2));
                clock.advance(Duration.ofSeconds(1));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
        try {
          a.sync();
        } catch (RuntimeException lost) {
          // the round may end there; the next one goes on
        }
        a.sync();
        b.sync();
        a.sync();
        String expected = LocalChunks.chunksOf(notes, SimDevice.INLINE).contentHash();
        assertThat(a.tree()).isEqualTo(Map.of("notes.txt", expected));
        assertThat(b.tree()).isEqualTo(Map.of("notes.txt", expected));
      }
    } finally {
      ids.close();
    }
  }

  private SimDevice device(
      String name, SimServer server, Chaos chaos, SimClock clock, Consumer<String> trace)
      throws Exception {
    SimApi api = new SimApi(server, server.device("sim", name), name, chaos, device -> {});
    return new SimDevice(name, work, api, clock, new Random(name.hashCode()), chaos, trace);
  }

  private static byte[] content(int size, int seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    Arrays.fill(bytes, 0, Math.min(8, size), (byte) seed);
    return bytes;
  }
}
