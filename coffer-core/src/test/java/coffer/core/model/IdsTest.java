package coffer.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

  @Test
  void are_26_characters_of_the_lowercase_base32_alphabet() {
    for (int i = 0; i < 1000; i++) {
      assertThat(Ids.newId()).hasSize(26).matches("[0-9a-hjkmnp-tv-z]{26}");
    }
  }

  @Test
  void leave_out_the_letters_that_look_like_digits() {
    assertThat(ALPHABET).hasSize(32).doesNotContain("i", "l", "o", "u");
    for (int i = 0; i < 1000; i++) {
      assertThat(Ids.newId()).doesNotContain("i", "l", "o", "u");
    }
  }

  @Test
  void encode_exactly_128_bits() {
    // 26 characters carry 130 bits; the last character holds the final 3 bits, padded with two
    // zero bits, so it is always a multiple of four in the alphabet.
    Set<Character> lastCharacters = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String id = Ids.newId();
      int last = ALPHABET.indexOf(id.charAt(25));
      assertThat(last % 4).isZero();
      lastCharacters.add(id.charAt(25));
    }
    // All eight possible last characters turn up in 2000 draws (each is missed with p = 7e-117).
    assertThat(lastCharacters).hasSize(8);
  }

  @Test
  void are_unique_over_ten_thousand_draws() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      seen.add(Ids.newId());
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void use_every_character_of_the_alphabet() {
    Set<Character> used = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      for (char c : Ids.newId().toCharArray()) {
        used.add(c);
      }
    }
    assertThat(used).hasSize(32);
  }
}
