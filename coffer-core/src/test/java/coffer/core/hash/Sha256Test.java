package coffer.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import coffer.core.error.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class Sha256Test {

  private static final String EMPTY_HEX =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String ABC_HEX =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  static byte[] jdkSha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Nested
  @Group // jqwik runs the properties in here; JUnit runs the tests
  class Hashing {

    @Test
    void matches_the_published_test_vectors() {
      assertThat(Sha256.of(new byte[0]).hex()).isEqualTo(EMPTY_HEX);
      assertThat(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)).hex()).isEqualTo(ABC_HEX);
    }

    @Property(tries = 200)
    void equals_the_jdk_message_digest(@ForAll @Size(max = 5000) byte[] data) {
      assertThat(Sha256.of(data).bytes()).isEqualTo(jdkSha256(data));
    }

    @Test
    void hashes_only_the_requested_slice() {
      byte[] data = "xxabcyy".getBytes(StandardCharsets.US_ASCII);

      assertThat(Sha256.of(data, 2, 3).hex()).isEqualTo(ABC_HEX);
      assertThat(Sha256.of(data, 0, 0).hex()).isEqualTo(EMPTY_HEX);
    }

    @Test
    void feeds_its_raw_bytes_into_another_digest() {
      Sha256 abc = Sha256.parse(ABC_HEX);
      MessageDigest digest = Sha256.newDigest();

      abc.updateInto(digest);

      assertThat(digest.digest()).isEqualTo(jdkSha256(HexFormat.of().parseHex(ABC_HEX)));
    }
  }

  @Nested
  @Group // jqwik runs the properties in here; JUnit runs the tests
  class Text {

    @Property(tries = 200)
    void hex_round_trips(@ForAll @Size(value = 32) byte[] digest) {
      Sha256 hash = Sha256.ofDigest(digest);

      assertThat(hash.hex()).hasSize(64).matches("[0-9a-f]{64}");
      assertThat(Sha256.parse(hash.hex())).isEqualTo(hash);
      assertThat(hash.toString()).isEqualTo(hash.hex());
    }

    @Test
    void parses_upper_case_and_writes_lower_case() {
      assertThat(Sha256.parse(ABC_HEX.toUpperCase()).hex()).isEqualTo(ABC_HEX);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
        strings = {
          "",
          "abc",
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0",
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00"
        })
    void refuses_text_of_the_wrong_length(String text) {
      assertInvalidHash(text);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a-",
          "ba7816bf8f01cfea414140de5dae2223 00361a396177a9cb410ff61f20015ad",
          "0xa816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015aé",
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a٣"
        })
    void refuses_text_that_is_not_hex(String text) {
      assertThat(text).hasSize(64);
      assertInvalidHash(text);
    }

    private void assertInvalidHash(String text) {
      BadRequestException refusal =
          catchThrowableOfType(BadRequestException.class, () -> Sha256.parse(text));

      assertThat(refusal).as("refusal of %s", text).isNotNull();
      assertThat(refusal.type()).isEqualTo("invalid-hash");
      assertThat(refusal).hasMessageContaining("64 hex digits");
    }
  }

  @Nested
  class Identity {

    @Test
    void equal_digests_are_equal_and_hash_alike() {
      Sha256 a = Sha256.parse(ABC_HEX);
      Sha256 b = Sha256.of("abc".getBytes(StandardCharsets.US_ASCII));

      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotSameAs(b);
      assertThat(a).isNotEqualTo(Sha256.parse(EMPTY_HEX));
      assertThat(a).isNotEqualTo(ABC_HEX);
      assertThat(a.compareTo(b)).isZero();
    }

    @Test
    void orders_digests_as_unsigned_bytes() {
      Sha256 low = Sha256.parse("7f" + "00".repeat(31));
      Sha256 high = Sha256.parse("80" + "00".repeat(31));

      assertThat(low).isLessThan(high);
      assertThat(high.compareTo(low)).isPositive();
    }

    @Test
    void does_not_share_its_bytes() {
      byte[] digest = new byte[32];
      Sha256 hash = Sha256.ofDigest(digest);

      digest[0] = 1;
      hash.bytes()[1] = 1;

      assertThat(hash.bytes()).isEqualTo(new byte[32]);
    }

    @Test
    void matches_a_raw_digest_only_when_equal() {
      Sha256 hash = Sha256.parse(ABC_HEX);
      byte[] raw = HexFormat.of().parseHex(ABC_HEX);

      assertThat(hash.matches(raw)).isTrue();
      byte[] other = Arrays.copyOf(raw, raw.length);
      other[31] ^= 1;
      assertThat(hash.matches(other)).isFalse();
      assertThat(hash.matches(new byte[31])).isFalse();
    }

    @Test
    void refuses_a_digest_of_the_wrong_length() {
      assertThatThrownBy(() -> Sha256.ofDigest(new byte[31]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("32 bytes");
      assertThatThrownBy(() -> Sha256.ofDigest(new byte[33]))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
