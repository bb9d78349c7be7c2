package coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.client.CofferClient;
import coffer.client.Progress;
import coffer.client.Session;
import coffer.server.CofferServer;
import coffer.server.ServerConfig;
import coffer.server.auth.PasswordHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interrupted {@code coffer put} resumes when run again, re-sending almost nothing. */
class ResumeIT {

  private static final long MIB = 1 << 20;
  private static final long MAX_CHUNK = 4 * MIB;

  @TempDir Path tmp;

  @Test
  void a_put_killed_halfway_resends_at_most_one_maximum_chunk_when_run_again() throws Exception {
    Path file = ChunkedUploadTest.random(tmp.resolve("big.bin"), 200 * MIB, 9);
    try (CofferServer server =
        CofferServer.start(
            ServerConfig.defaults()
                .withDataDir(tmp.resolve("data"))
                .withPort(0)
                .withPasswords(new PasswordHasher(1024, 1, 1)))) {
      CofferClient anonymous = new CofferClient(server.url(), null);
      anonymous.signup("alice", "hunter2hunter2");
      var login = anonymous.login("alice", "hunter2hunter2", "resume-test");
      Path home = Files.createDirectories(tmp.resolve("home"));
      new Session(server.url().toString(), "alice", login.token(), login.deviceId()).save(home);

      ProcessBuilder put =
          new ProcessBuilder(Processes.java("put", "-q", file.toString(), "/big.bin"))
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("put.log").toFile());
      put.environment().put("COFFER_HOME", home.toString());
      Process first = put.start();
      Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
      while (server.chunkBytesArrived() < 100 * MIB) {
        assertThat(first.isAlive()).as("the first put ended before it was killed").isTrue();
        assertThat(Instant.now()).as("waiting for half the file to arrive").isBefore(deadline);
        LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      }
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long arrivedBeforeKill = server.chunkBytesArrived();
      assertThat(arrivedBeforeKill).isLessThan(200 * MIB);

      Process second = put.start();
      assertThat(second.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(second.exitValue()).as(Files.readString(tmp.resolve("put.log"))).isZero();

      long resent = server.chunkBytesArrived() - 200 * MIB;
      assertThat(resent).as("bytes sent twice").isBetween(0L, MAX_CHUNK);

      CofferClient client = CofferClient.of(Session.load(home).orElseThrow());
      Path copy = tmp.resolve("copy.bin");
      client.download(client.lookup("/big.bin"), copy, Progress.NONE);
      assertThat(Files.mismatch(file, copy)).isEqualTo(-1);
    }
  }
}
