package coffer.core.name;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import coffer.core.error.BadRequestException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemotePathTest {

  private static List<String> names(RemotePath path) {
    return path.names().stream().map(NodeName::value).toList();
  }

  @Nested
  class Parse {

    @Test
    void reads_an_absolute_path_segment_by_segment() {
      RemotePath path = RemotePath.parse("/a/b");

      assertThat(names(path)).containsExactly("a", "b");
      assertThat(path.isRoot()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a//b/", "//a///b//", "/a/b/"})
    void ignores_missing_repeated_and_trailing_slashes(String text) {
      assertThat(RemotePath.parse(text)).isEqualTo(RemotePath.parse("/a/b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "", "//", "///"})
    void reads_the_root(String text) {
      RemotePath path = RemotePath.parse(text);

      assertThat(path.isRoot()).isTrue();
      assertThat(path).isEqualTo(RemotePath.ROOT);
      assertThat(path.names()).isEmpty();
    }

    @Test
    void normalizes_every_segment() {
      assertThat(RemotePath.parse("/Cafe\u0301/e\u0301").toString()).isEqualTo("/Caf\u00e9/\u00e9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "/..", "/a/../b", "a/..", "/a/./b", "."})
    void refuses_dot_segments_rather_than_resolving_them(String text) {
      BadRequestException refusal =
          catchThrowableOfType(BadRequestException.class, () -> RemotePath.parse(text));

      assertThat(refusal).as("refusal of %s", text).isNotNull();
      assertThat(refusal.type()).isEqualTo("invalid-name");
      assertThat(refusal).hasMessageContaining("is not allowed as a name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/b:c", "/con/x", "/a\\b", "/a/b."})
    void refuses_segments_that_are_not_valid_names(String text) {
      BadRequestException refusal =
          catchThrowableOfType(BadRequestException.class, () -> RemotePath.parse(text));

      assertThat(refusal).isNotNull();
      assertThat(refusal.type()).isEqualTo("invalid-name");
    }

    @Test
    void refuses_a_missing_path() {
      BadRequestException refusal =
          catchThrowableOfType(BadRequestException.class, () -> RemotePath.parse(null));

      assertThat(refusal).isNotNull();
      assertThat(refusal.type()).isEqualTo("invalid-path");
    }
  }

  @Nested
  @Group // jqwik runs the properties in here; JUnit runs the tests
  class Text {

    @Test
    void writes_the_root_as_a_single_slash() {
      assertThat(RemotePath.ROOT.toString()).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b", "/Photos/2026/beach.jpg", "/日本/ファイル.txt"})
    void round_trips_through_parse(String text) {
      assertThat(RemotePath.parse(text).toString()).isEqualTo(text);
    }

    @Property(tries = 200)
    void any_path_of_valid_names_round_trips(@ForAll("paths") RemotePath path) {
      RemotePath again = RemotePath.parse(path.toString());

      assertThat(again).isEqualTo(path);
      assertThat(again.toString()).isEqualTo(path.toString());
    }

    @Provide
    Arbitrary<RemotePath> paths() {
      Arbitrary<NodeName> name =
          Arbitraries.strings()
              .all()
              .ofMinLength(1)
              .ofMaxLength(20)
              .map(RemotePathTest::validOrNull)
              .filter(n -> n != null);
      return name.list().ofMaxSize(6).map(RemotePath::new);
    }
  }

  private static NodeName validOrNull(String candidate) {
    try {
      return NodeName.of(candidate);
    } catch (BadRequestException e) {
      return null;
    }
  }

  @Nested
  class Navigation {

    @Test
    void the_parent_drops_the_last_segment() {
      assertThat(RemotePath.parse("/a/b/c").parent()).isEqualTo(RemotePath.parse("/a/b"));
      assertThat(RemotePath.parse("/a").parent()).isEqualTo(RemotePath.ROOT);
    }

    @Test
    void the_parent_of_the_root_is_the_root() {
      assertThat(RemotePath.ROOT.parent()).isSameAs(RemotePath.ROOT);
    }

    @Test
    void resolve_appends_a_child() {
      RemotePath path = RemotePath.parse("/a").resolve(NodeName.of("b"));

      assertThat(path).isEqualTo(RemotePath.parse("/a/b"));
      assertThat(RemotePath.ROOT.resolve(NodeName.of("x")).toString()).isEqualTo("/x");
      assertThat(path.parent()).isEqualTo(RemotePath.parse("/a"));
      assertThat(path.name()).isEqualTo(NodeName.of("b"));
    }

    @Test
    void resolve_leaves_the_original_path_alone() {
      RemotePath a = RemotePath.parse("/a");

      a.resolve(NodeName.of("b"));

      assertThat(a.toString()).isEqualTo("/a");
    }

    @Test
    void the_root_has_no_name() {
      BadRequestException refusal =
          catchThrowableOfType(BadRequestException.class, RemotePath.ROOT::name);

      assertThat(refusal).isNotNull();
      assertThat(refusal.type()).isEqualTo("invalid-path");
    }

    @Test
    void the_segments_cannot_be_changed_from_outside() {
      List<NodeName> segments = new ArrayList<>(List.of(NodeName.of("a")));
      RemotePath path = new RemotePath(segments);

      segments.add(NodeName.of("b"));

      assertThat(path.toString()).isEqualTo("/a");
      assertThat(path.names()).isUnmodifiable();
    }
  }
}
