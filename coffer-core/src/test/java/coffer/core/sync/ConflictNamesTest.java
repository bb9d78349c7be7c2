package coffer.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import coffer.core.model.NodeKind;
import coffer.core.name.NodeName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConflictNamesTest {

  private static final Instant AT = Instant.parse("2026-03-01T14:25:30Z");

  @Nested
  class A_conflicted_copy {

    @Test
    void keeps_the_extension_last() {
      assertThat(ConflictNames.copyName("report.pdf", "Laptop", AT, ZoneOffset.UTC))
          .isEqualTo("report (conflicted copy, Laptop, 2026-03-01 142530).pdf");
    }

    @Test
    void takes_only_the_last_extension() {
      assertThat(ConflictNames.copyName("archive.tar.gz", "Laptop", AT, ZoneOffset.UTC))
          .isEqualTo("archive.tar (conflicted copy, Laptop, 2026-03-01 142530).gz");
    }

    @Test
    void treats_a_leading_dot_and_a_missing_dot_as_no_extension() {
      assertThat(ConflictNames.copyName(".bashrc", "Laptop", AT, ZoneOffset.UTC))
          .isEqualTo(".bashrc (conflicted copy, Laptop, 2026-03-01 142530)");
      assertThat(ConflictNames.copyName("README", "Laptop", AT, ZoneOffset.UTC))
          .isEqualTo("README (conflicted copy, Laptop, 2026-03-01 142530)");
    }

    @Test
    void of_a_folder_has_no_extension() {
      assertThat(
              ConflictNames.copyName("photos.2026", NodeKind.FOLDER, "Laptop", AT, ZoneOffset.UTC))
          .isEqualTo("photos.2026 (conflicted copy, Laptop, 2026-03-01 142530)");
    }

    @Test
    void is_stamped_in_the_users_zone() {
      assertThat(ConflictNames.copyName("a.txt", "Laptop", AT, ZoneId.of("Asia/Tokyo")))
          .isEqualTo("a (conflicted copy, Laptop, 2026-03-01 232530).txt");
    }

    @Test
    void replaces_characters_a_name_cannot_hold_in_the_device_name() {
      String name = ConflictNames.copyName("a.txt", "Bob's PC: \"work\"/home", AT, ZoneOffset.UTC);

      assertThat(name)
          .isEqualTo("a (conflicted copy, Bob's PC- -work--home, 2026-03-01 142530).txt");
      assertThat(NodeName.of(name).value()).isEqualTo(name);
    }

    @Test
    void shortens_a_long_name_to_fit_in_255_bytes() {
      String name =
          ConflictNames.copyName("\u00e9".repeat(120) + ".txt", "Laptop", AT, ZoneOffset.UTC);

      assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
      assertThat(name).endsWith("(conflicted copy, Laptop, 2026-03-01 142530).txt");
      assertThat(NodeName.of(name).value()).isEqualTo(name);
    }

    @Test
    void is_in_nfc() {
      assertThat(ConflictNames.copyName("cafe\u0301.txt", "Laptop", AT, ZoneOffset.UTC))
          .startsWith("caf\u00e9 (");
    }
  }

  @Nested
  class A_free_name {

    @Test
    void is_the_name_itself_when_it_is_free() {
      assertThat(ConflictNames.firstFree("a.txt", NodeKind.FILE, name -> false)).isEqualTo("a.txt");
    }

    @Test
    void numbers_the_name_before_its_extension() {
      Set<String> taken = Set.of("a.txt", "a 2.txt");

      assertThat(ConflictNames.firstFree("a.txt", NodeKind.FILE, taken::contains))
          .isEqualTo("a 3.txt");
      assertThat(ConflictNames.firstFree("a.b", NodeKind.FOLDER, Set.of("a.b")::contains))
          .isEqualTo("a.b 2");
    }
  }
}
