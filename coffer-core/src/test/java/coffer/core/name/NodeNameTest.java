package coffer.core.name;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import coffer.core.error.BadRequestException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeNameTest {

  /** Asserts that {@code name} is refused as an invalid name, for a reason the message names. */
  private static void assertRefused(String name, String because) {
    BadRequestException refusal =
        catchThrowableOfType(BadRequestException.class, () -> NodeName.of(name));
    assertThat(refusal).as("refusal of \"%s\"", name).isNotNull();
    assertThat(refusal.type()).isEqualTo("invalid-name");
    assertThat(refusal).hasMessageStartingWith("Invalid name: ").hasMessageContaining(because);
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Nested
  class Accepts {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "a",
          "report.pdf",
          "My Documents",
          ".bashrc",
          "archive.tar.gz",
          " leading space",
          "with-dash_and+plus=equals",
          "semi;colon,comma [brackets] {braces} (parens) & 100%",
          "Übergrößenträger",
          "日本語のファイル名",
          "Ελληνικά",
          "emoji 😀🎉",
          "CONSOLE",
          "con_",
          "COM10",
          "LPT0x",
          "nul-terminated.txt"
        })
    void ordinary_and_unicode_names(String name) {
      assertThat(NodeName.of(name).value()).isEqualTo(name);
      assertThat(NodeName.of(name).toString()).isEqualTo(name);
    }

    @Test
    void names_of_exactly_255_utf8_bytes() {
      String ascii = "a".repeat(255);
      String twoByte = "é".repeat(127) + "a";
      String threeByte = "€".repeat(85);
      String fourByte = "😀".repeat(63) + "abc";

      for (String name : new String[] {ascii, twoByte, threeByte, fourByte}) {
        assertThat(utf8Length(name)).isEqualTo(NodeName.MAX_BYTES);
        assertThat(NodeName.of(name).value()).isEqualTo(name);
      }
    }

    @Test
    void a_decomposed_name_that_fits_in_255_bytes_only_once_composed() {
      // 127 decomposed é are 381 bytes; composed they are 254, plus one byte.
      String decomposed = "e\u0301".repeat(127) + "a";

      assertThat(utf8Length(decomposed)).isGreaterThan(NodeName.MAX_BYTES);
      assertThat(utf8Length(NodeName.of(decomposed).value())).isEqualTo(NodeName.MAX_BYTES);
    }
  }

  @Nested
  class Normalization {

    @Test
    void composes_to_nfc() {
      NodeName name = NodeName.of("e\u0301");

      assertThat(name.value()).isEqualTo("\u00e9");
      assertThat(name).isEqualTo(NodeName.of("\u00e9"));
      assertThat(NodeName.of("Cafe\u0301.txt").value()).isEqualTo("Caf\u00e9.txt");
      assertThat(NodeName.of("A\u030a\u0301").value()).isEqualTo("\u01fa");
    }

    @Test
    void keeps_the_case_the_user_wrote() {
      assertThat(NodeName.of("ReadMe.MD").value()).isEqualTo("ReadMe.MD");
      assertThat(NodeName.of("ReadMe.MD")).isNotEqualTo(NodeName.of("readme.md"));
    }
  }

  @Nested
  class Key {

    @Test
    void is_the_same_for_names_that_differ_only_in_case() {
      assertThat(NodeName.of("README.txt").key())
          .isEqualTo(NodeName.of("readme.TXT").key())
          .isEqualTo("readme.txt");
      assertThat(NodeName.of("ÄRGER").key()).isEqualTo(NodeName.of("ärger").key());
      assertThat(NodeName.of("ΣΟΦΙΑ").key()).isEqualTo(NodeName.of("σοφια").key());
    }

    @Test
    void is_the_same_for_composed_and_decomposed_spellings() {
      assertThat(NodeName.key("E\u0301COLE")).isEqualTo(NodeName.of("\u00e9cole").key());
    }

    @Test
    void differs_for_different_names() {
      assertThat(NodeName.of("a.txt").key()).isNotEqualTo(NodeName.of("b.txt").key());
      assertThat(NodeName.of("resume").key()).isNotEqualTo(NodeName.of("résumé").key());
    }
  }

  @Nested
  class Extension {

    @Test
    void is_the_part_after_the_last_dot() {
      assertThat(NodeName.of("archive.tar.gz").extension()).isEqualTo(".gz");
      assertThat(NodeName.of("photo.JPG").extension()).isEqualTo(".JPG");
    }

    @Test
    void is_empty_without_a_dot_or_for_a_leading_dot_only() {
      assertThat(NodeName.of("Makefile").extension()).isEmpty();
      assertThat(NodeName.of(".bashrc").extension()).isEmpty();
    }
  }

  @Nested
  class Refuses {

    @Test
    void a_missing_name() {
      assertRefused(null, "a name is required");
    }

    @Test
    void the_empty_name() {
      assertRefused("", "cannot be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void the_dot_names_that_mean_this_folder_and_its_parent(String name) {
      assertRefused(name, "'" + name + "' is not allowed as a name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "/", "a/", "/a"})
    void names_containing_a_slash(String name) {
      assertRefused(name, "cannot contain '/'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\\b", "\\", "dir\\file.txt"})
    void names_containing_a_backslash(String name) {
      assertRefused(name, "cannot contain '\\' (not allowed on Windows or as a separator)");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "a\u0000b",
          "\u0000",
          "line\nbreak",
          "tab\there",
          "cr\r",
          "bell\u0007",
          "esc\u001b[0m",
          "unit\u001f",
          "del\u007f"
        })
    void names_containing_control_characters(String name) {
      assertRefused(name, "cannot contain control characters");
    }

    @ParameterizedTest
    @ValueSource(chars = {':', '*', '?', '"', '<', '>', '|'})
    void names_containing_characters_that_windows_cannot_hold(char c) {
      assertRefused("a" + c + "b", "cannot contain '" + c + "'");
      assertRefused(c + "start", "cannot contain '" + c + "'");
    }

    @Test
    void names_longer_than_255_utf8_bytes() {
      String tooLongAscii = "a".repeat(256);
      String tooLongMultiByte = "€".repeat(85) + "a";
      String tooLongEmoji = "😀".repeat(64);

      for (String name : new String[] {tooLongAscii, tooLongMultiByte, tooLongEmoji}) {
        assertThat(utf8Length(name)).isGreaterThan(NodeName.MAX_BYTES);
        assertRefused(name, "at most 255 bytes long in UTF-8");
      }
      // 86 characters, far fewer than 255, but 256 bytes.
      assertThat(tooLongMultiByte.length()).isLessThan(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"name.", "name..", "...", "a.b.", "trailing space ", " ", "  "})
    void names_ending_with_a_dot_or_a_space(String name) {
      assertRefused(name, "cannot end with a dot or a space");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "CON",
          "con",
          "Con",
          "PRN",
          "AUX",
          "NUL",
          "nul",
          "COM1",
          "com9",
          "LPT1",
          "lpt9",
          "con.txt",
          "CON.tar.gz",
          "nul.anything",
          "LPT1.log",
          "aux .txt",
          "COM0",
          "lpt0.txt",
          "COM\u00b9",
          "LPT\u00b3.log",
          "CONIN$",
          "conout$.txt"
        })
    void windows_reserved_device_names_with_or_without_an_extension(String name) {
      assertRefused(name, "is a reserved device name on Windows");
    }
  }
}
