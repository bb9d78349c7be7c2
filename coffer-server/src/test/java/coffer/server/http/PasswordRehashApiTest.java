package coffer.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.server.auth.PasswordHasher;
import coffer.server.support.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raising the hashing parameters upgrades each stored password at its owner's next log-in. */
class PasswordRehashApiTest {

  @TempDir Path data;

  static final PasswordHasher STRONGER = new PasswordHasher(2048, 2, 1);

  private String storedHash() throws SQLException {
    try (Connection db = TestServer.metadataConnection(data);
        ResultSet rs =
            db.createStatement()
                .executeQuery("SELECT password_hash FROM users WHERE username = 'alice'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void a_login_after_the_parameters_were_raised_stores_a_stronger_hash() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      server.newAccount("alice");
    }
    String weak = storedHash();
    assertThat(weak).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");

    try (TestServer stronger = TestServer.start(data, c -> c.withPasswords(STRONGER))) {
      stronger.login("alice");
      String rehashed = storedHash();
      assertThat(rehashed).startsWith("$argon2id$v=19$m=2048,t=2,p=1$");

      stronger.login("alice");
      assertThat(storedHash()).as("already strong enough: left alone").isEqualTo(rehashed);
      stronger.login("alice", "a wrong password", "d").expectProblem(401, "invalid-credentials");
      assertThat(storedHash()).isEqualTo(rehashed);
    }
  }
}
