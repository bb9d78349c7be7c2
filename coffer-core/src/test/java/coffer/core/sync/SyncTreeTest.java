package coffer.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SyncTreeTest {

  private static final SyncTree TREE =
      new SyncTree(
          "root",
          List.of(
              SyncItem.folder("docs", "root", "Docs"),
              SyncItem.folder("2026", "docs", "2026"),
              SyncItem.file("report", "2026", "Report.pdf", "c1", "v1"),
              SyncItem.file("cafe", "docs", "cafe\u0301.txt", "c2", "v2"),
              SyncItem.file("notes", "root", "notes.txt", "c3", "v3")));

  @Nested
  class Answers {

    @Test
    void an_item_by_id_and_nothing_for_the_root_or_an_unknown_id() {
      assertThat(TREE.get("report"))
          .hasValueSatisfying(i -> assertThat(i.name()).isEqualTo("Report.pdf"));
      assertThat(TREE.get("root")).isEmpty();
      assertThat(TREE.get("nope")).isEmpty();
      assertThat(TREE.contains("docs")).isTrue();
      assertThat(TREE.contains("root")).isFalse();
      assertThat(TREE.size()).isEqualTo(5);
    }

    @Test
    void children_by_name() {
      assertThat(TREE.children("root")).extracting(SyncItem::id).containsExactly("docs", "notes");
      assertThat(TREE.children("docs")).extracting(SyncItem::id).containsExactly("2026", "cafe");
      assertThat(TREE.children("report")).isEmpty();
    }

    @Test
    void a_child_by_name_key_ignoring_case_and_unicode_form() {
      assertThat(TREE.childByKey("2026", "report.pdf")).map(SyncItem::id).hasValue("report");
      assertThat(TREE.childByKey("docs", "caf\u00e9.txt")).map(SyncItem::id).hasValue("cafe");
      assertThat(TREE.childByKey("docs", "Report.pdf")).isEmpty();
    }

    @Test
    void paths_relative_to_the_root() {
      assertThat(TREE.path("root")).isEmpty();
      assertThat(TREE.path("docs")).isEqualTo("Docs");
      assertThat(TREE.path("report")).isEqualTo("Docs/2026/Report.pdf");
      assertThatThrownBy(() -> TREE.path("nope")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void strict_ancestry() {
      assertThat(TREE.isAncestor("docs", "report")).isTrue();
      assertThat(TREE.isAncestor("root", "report")).isTrue();
      assertThat(TREE.isAncestor("report", "report")).isFalse();
      assertThat(TREE.isAncestor("report", "docs")).isFalse();
      assertThat(TREE.isAncestor("root", "nope")).isFalse();
    }

    @Test
    void the_first_by_name_when_a_case_sensitive_disk_holds_two_names_with_one_key() {
      SyncTree clash =
          new SyncTree(
              "root",
              List.of(
                  SyncItem.file("lower", "root", "a.txt", "c1", null),
                  SyncItem.file("upper", "root", "A.txt", "c2", null)));

      assertThat(clash.childByKey("root", "a.txt")).map(SyncItem::id).hasValue("upper");
      assertThat(clash.clashes()).hasSize(1);
    }
  }

  @Nested
  class Changes {

    @Test
    void with_adds_or_replaces_an_item() {
      SyncTree moved = TREE.with(SyncItem.file("notes", "docs", "notes.txt", "c3", "v3"));

      assertThat(moved.path("notes")).isEqualTo("Docs/notes.txt");
      assertThat(TREE.path("notes")).isEqualTo("notes.txt");
    }

    @Test
    void without_removes_a_subtree() {
      SyncTree pruned = TREE.without("docs");

      assertThat(pruned.items()).extracting(SyncItem::id).containsExactly("notes");
      assertThat(TREE.without("nope")).isSameAs(TREE);
    }
  }

  @Nested
  class Refuses {

    @Test
    void an_item_whose_parent_is_missing() {
      assertThatThrownBy(() -> new SyncTree("root", List.of(SyncItem.folder("a", "missing", "a"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("missing");
    }

    @Test
    void an_item_inside_a_file() {
      assertThatThrownBy(
              () ->
                  new SyncTree(
                      "root",
                      List.of(
                          SyncItem.file("f", "root", "f", "c", null),
                          SyncItem.file("g", "f", "g", "c", null))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("file");
    }

    @Test
    void a_repeated_id_and_the_root_as_an_item() {
      assertThatThrownBy(
              () ->
                  new SyncTree(
                      "root",
                      List.of(
                          SyncItem.folder("a", "root", "a"), SyncItem.folder("a", "root", "b"))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new SyncTree("root", List.of(SyncItem.folder("root", "root", "r"))))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parent_links_that_form_a_cycle() {
      assertThatThrownBy(
              () ->
                  new SyncTree(
                      "root",
                      List.of(SyncItem.folder("a", "b", "a"), SyncItem.folder("b", "a", "b"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cycle");
    }

    @Test
    void a_folder_with_content_and_a_file_without() {
      assertThatThrownBy(
              () -> new SyncItem("a", "root", "a", coffer.core.model.NodeKind.FOLDER, "c", null))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> SyncItem.file("a", "root", "a", null, null))
          .isInstanceOf(NullPointerException.class);
    }
  }
}
