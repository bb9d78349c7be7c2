package coffer.core.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkerConfigTest {

  @Nested
  class Accepts {

    @Test
    void the_default_of_256_kib_1_mib_and_4_mib() {
      assertThat(ChunkerConfig.DEFAULT).isEqualTo(new ChunkerConfig(256 << 10, 1 << 20, 4 << 20));
    }

    @ParameterizedTest
    @CsvSource({"64, 128, 129", "256, 1024, 4096", "1000, 1024, 1025", "1024, 65536, 268435456"})
    void ordered_bounds_around_a_power_of_two(int min, int average, int max) {
      ChunkerConfig config = new ChunkerConfig(min, average, max);

      assertThat(config.minSize()).isEqualTo(min);
      assertThat(config.averageSize()).isEqualTo(average);
      assertThat(config.maxSize()).isEqualTo(max);
    }
  }

  @Nested
  class Refuses {

    @ParameterizedTest
    @CsvSource({
      "63, 128, 256",
      "0, 128, 256",
      "-1, 128, 256",
      "128, 128, 256",
      "256, 128, 512",
      "64, 256, 256",
      "64, 256, 128",
      "512, 256, 128"
    })
    void bounds_that_are_not_64_or_more_and_strictly_increasing(int min, int average, int max) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new ChunkerConfig(min, average, max))
          .withMessageContaining("need 64 <= min < average < max");
    }

    @ParameterizedTest
    @CsvSource({"64, 100, 4096", "256, 1000, 4096", "256, 1536, 4096", "256, 1025, 4096"})
    void an_average_that_is_not_a_power_of_two(int min, int average, int max) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new ChunkerConfig(min, average, max))
          .withMessageContaining("power of two");
    }

    @Test
    void a_maximum_over_256_mib() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new ChunkerConfig(1024, 1 << 20, (1 << 28) + 1))
          .withMessageContaining("256 MiB");
    }
  }
}
