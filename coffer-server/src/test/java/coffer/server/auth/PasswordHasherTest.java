package coffer.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  static final PasswordHasher WEAK = new PasswordHasher(1024, 1, 1);
  static final PasswordHasher STRONG = new PasswordHasher(2048, 2, 1);

  @Test
  void a_hash_verifies_its_password_only() {
    String hash = WEAK.hash("correct horse");

    assertThat(WEAK.verify("correct horse", hash)).isTrue();
    assertThat(STRONG.verify("correct horse", hash)).as("parameters come from the hash").isTrue();
    assertThat(WEAK.verify("wrong horse", hash)).isFalse();
    assertThat(WEAK.verify("correct horse", "$argon2id$garbage")).isFalse();
  }

  @Test
  void only_hashes_made_with_weaker_parameters_need_rehashing() {
    assertThat(STRONG.needsRehash(WEAK.hash("pw"))).isTrue();
    assertThat(STRONG.needsRehash(STRONG.hash("pw"))).isFalse();
    assertThat(WEAK.needsRehash(STRONG.hash("pw"))).as("never weakened").isFalse();
    assertThat(new PasswordHasher(1024, 1, 2).needsRehash(WEAK.hash("pw"))).isTrue();
    assertThat(STRONG.needsRehash("$2a$10$bcrypt-or-anything-else")).isTrue();
  }
}
