package coffer.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class IgnoresTest {

  @Nested
  class Built_in_rules {
    private final Ignores ignores =
        Ignores.parse(List.of("*.swp", "~$*", ".DS_Store", "*.coffer-part"));

    @Test
    void editor_and_system_leftovers_are_never_synced_at_any_depth() {
      assertThat(ignores.ignored("notes.txt.swp", false)).isTrue();
      assertThat(ignores.ignored("docs/~$report.docx", false)).isTrue();
      assertThat(ignores.ignored("a/b/.DS_Store", false)).isTrue();
      assertThat(ignores.ignored("a/.big.bin123.coffer-part", false)).isTrue();
      assertThat(ignores.ignored("docs/report.docx", false)).isFalse();
    }
  }

  @Nested
  class Gitignore_syntax {
    @Test
    void anchored_folder_only_double_star_and_negated_patterns_work_as_in_git() {
      Ignores ignores =
          Ignores.parse(
              List.of(
                  "# comment", "/build", "node_modules/", "logs/**/*.log", "*.tmp", "!keep.tmp"));
      assertThat(ignores.ignored("build", true)).isTrue();
      assertThat(ignores.ignored("src/build", true)).isFalse();
      assertThat(ignores.ignored("web/node_modules", true)).isTrue();
      assertThat(ignores.ignored("web/node_modules", false)).isFalse();
      assertThat(ignores.ignored("logs/2026/12/app.log", false)).isTrue();
      assertThat(ignores.ignored("logs/app.log", false)).isTrue();
      assertThat(ignores.ignored("x/y.tmp", false)).isTrue();
      assertThat(ignores.ignored("x/keep.tmp", false)).isFalse();
    }
  }
}
