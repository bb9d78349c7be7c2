package coffer.core.sync;

import static coffer.core.sync.SyncItem.file;
import static coffer.core.sync.SyncItem.folder;
import static coffer.core.sync.ThreeTrees.ROOT;
import static coffer.core.sync.ThreeTrees.copy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import coffer.core.sync.SyncAction.ConflictCopy;
import coffer.core.sync.SyncAction.Forget;
import coffer.core.sync.SyncAction.LocalDelete;
import coffer.core.sync.SyncAction.LocalMkdir;
import coffer.core.sync.SyncAction.LocalMove;
import coffer.core.sync.SyncAction.LocalWrite;
import coffer.core.sync.SyncAction.RecordSynced;
import coffer.core.sync.SyncAction.RemoteDelete;
import coffer.core.sync.SyncAction.RemoteMkdir;
import coffer.core.sync.SyncAction.RemoteMove;
import coffer.core.sync.SyncAction.RemoteUpload;
import coffer.core.sync.SyncAction.Unsyncable;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlannerTest {

  // docs/report.txt and notes.txt, agreed on by both sides.
  private static final SyncItem DOCS = folder("d", ROOT, "docs");
  private static final SyncItem REPORT = file("r", "d", "report.txt", "c1", "v1");
  private static final SyncItem NOTES = file("n", ROOT, "notes.txt", "c2", "v2");

  private static ThreeTrees base() {
    return ThreeTrees.agreeingOn(DOCS, REPORT, NOTES);
  }

  @Nested
  class When_nothing_changed {

    @Test
    void plans_nothing() {
      assertThat(base().plan()).isEmpty();
    }

    @Test
    void plans_nothing_for_a_local_name_in_another_unicode_form() {
      ThreeTrees trees = ThreeTrees.agreeingOn(file("f", ROOT, "caf\u00e9.txt", "c", "v"));
      trees.local(file("f", ROOT, "cafe\u0301.txt", "c", null));

      assertThat(trees.plan()).isEmpty();
    }
  }

  @Nested
  class When_one_side_changed {

    @Test
    void a_remote_edit_replaces_the_unchanged_local_file() {
      ThreeTrees trees = base().remote(file("r", "d", "report.txt", "c9", "v9"));

      assertThat(trees.plan())
          .containsExactly(new LocalWrite("r", "docs/report.txt", "c9", "v9", "c1"));
    }

    @Test
    void a_local_edit_is_uploaded_on_the_revision_it_replaces() {
      ThreeTrees trees = base().local(file("r", "d", "report.txt", "c9", null));

      assertThat(trees.plan())
          .containsExactly(new RemoteUpload("r", "d", "report.txt", "c9", "v1"));
    }

    @Test
    void a_remote_rename_is_applied_locally() {
      ThreeTrees trees = base().remote(file("n", ROOT, "todo.txt", "c2", "v2"));

      assertThat(trees.plan()).containsExactly(new LocalMove("n", "notes.txt", "todo.txt"));
    }

    @Test
    void a_local_move_is_one_move_on_the_server_not_an_upload() {
      ThreeTrees trees = base().local(file("n", "d", "notes.txt", "c2", null));

      assertThat(trees.plan()).containsExactly(new RemoteMove("n", "d", "notes.txt"));
    }

    @Test
    void a_new_remote_file_is_downloaded_where_nothing_may_be() {
      ThreeTrees trees = base().remote(file("e1", "d", "new.txt", "c5", "v5"));

      assertThat(trees.plan())
          .containsExactly(new LocalWrite("e1", "docs/new.txt", "c5", "v5", null));
    }

    @Test
    void a_new_local_folder_is_created_before_what_it_holds() {
      ThreeTrees trees =
          base().local(folder("l1", ROOT, "photos")).local(file("l2", "l1", "a.jpg", "c5", null));

      assertThat(trees.plan()).containsExactly(new RemoteMkdir("l1", ROOT, "photos"));
      trees.sync();
      assertThat(trees.remoteContents()).contains(entry("photos/a.jpg", "file:c5"));
    }
  }

  @Nested
  class When_both_sides_edit_a_file {

    @Test
    void to_the_same_content_it_is_recorded_as_synced() {
      ThreeTrees trees =
          base()
              .remote(file("r", "d", "report.txt", "c9", "v9"))
              .local(file("r", "d", "report.txt", "c9", null));

      assertThat(trees.plan()).containsExactly(new RecordSynced("r", "r"));
    }

    @Test
    void to_different_contents_the_remote_keeps_the_name_and_the_local_one_is_copied_aside() {
      ThreeTrees trees =
          base()
              .remote(file("r", "d", "report.txt", "c8", "v8"))
              .local(file("r", "d", "report.txt", "c9", null));

      assertThat(trees.plan())
          .containsExactly(new ConflictCopy("r", "docs/report.txt", "docs/" + copy("report.txt")));
      trees.sync();
      assertThat(trees.remoteContents())
          .contains(
              entry("docs/report.txt", "file:c8"), entry("docs/" + copy("report.txt"), "file:c9"))
          .isEqualTo(trees.localContents());
    }
  }

  @Nested
  class When_one_side_edits_what_the_other_deleted {

    @Test
    void a_local_edit_re_creates_a_file_deleted_remotely() {
      ThreeTrees trees = base().remoteDeletes("r").local(file("r", "d", "report.txt", "c9", null));

      assertThat(trees.plan())
          .containsExactly(new RemoteUpload("r", "d", "report.txt", "c9", null));
    }

    @Test
    void a_local_rename_re_creates_a_file_deleted_remotely() {
      ThreeTrees trees = base().remoteDeletes("n").local(file("n", ROOT, "kept.txt", "c2", null));

      assertThat(trees.plan()).containsExactly(new RemoteUpload("n", ROOT, "kept.txt", "c2", null));
    }

    @Test
    void a_remote_edit_re_creates_a_file_deleted_locally() {
      ThreeTrees trees = base().localDeletes("r").remote(file("r", "d", "report.txt", "c9", "v9"));

      assertThat(trees.plan())
          .containsExactly(new LocalWrite("r", "docs/report.txt", "c9", "v9", null));
    }

    @Test
    void a_new_local_file_keeps_its_folder_deleted_remotely_and_only_it() {
      ThreeTrees trees = base().remoteDeletes("d").local(file("l1", "d", "new.txt", "c5", null));

      assertThat(trees.plan())
          .containsExactlyInAnyOrder(
              new RemoteMkdir("d", ROOT, "docs"), new LocalDelete("r", "docs/report.txt", "c1"));
      trees.sync();
      assertThat(trees.remoteContents())
          .containsOnly(
              entry("docs", "folder"),
              entry("docs/new.txt", "file:c5"),
              entry("notes.txt", "file:c2"))
          .isEqualTo(trees.localContents());
    }

    @Test
    void a_new_remote_file_keeps_its_folder_deleted_locally_and_only_it() {
      ThreeTrees trees = base().localDeletes("d").remote(file("e1", "d", "new.txt", "c5", "v5"));

      assertThat(trees.plan())
          .containsExactlyInAnyOrder(new LocalMkdir("d", "docs"), new RemoteDelete("r", "v1"));
      trees.sync();
      assertThat(trees.localContents())
          .containsOnly(
              entry("docs", "folder"),
              entry("docs/new.txt", "file:c5"),
              entry("notes.txt", "file:c2"))
          .isEqualTo(trees.remoteContents());
    }
  }

  @Nested
  class When_one_side_deletes_what_the_other_left_alone {

    @Test
    void a_remote_delete_deletes_the_local_file_if_it_still_holds_the_synced_content() {
      assertThat(base().remoteDeletes("n").plan())
          .containsExactly(new LocalDelete("n", "notes.txt", "c2"));
    }

    @Test
    void a_local_delete_deletes_the_revision_both_sides_knew() {
      assertThat(base().localDeletes("n").plan()).containsExactly(new RemoteDelete("n", "v2"));
    }

    @Test
    void a_deleted_folder_is_one_delete_on_the_other_side() {
      ThreeTrees trees =
          ThreeTrees.agreeingOn(
              DOCS, REPORT, folder("y", "d", "2026"), file("q", "y", "q1.txt", "c3", "v3"));

      assertThat(trees.localDeletes("d").plan()).containsExactly(new RemoteDelete("d", null));
    }

    @Test
    void a_folder_deleted_remotely_is_one_local_delete() {
      assertThat(base().remoteDeletes("d").plan())
          .containsExactly(new LocalDelete("d", "docs", null));
    }

    @Test
    void a_folder_deleted_on_both_sides_is_forgotten_once() {
      assertThat(base().remoteDeletes("d").localDeletes("d").plan())
          .containsExactly(new Forget("d"));
    }

    @Test
    void a_folder_is_deleted_only_after_what_was_moved_out_of_it() {
      ThreeTrees trees = base().local(file("r", ROOT, "report.txt", "c1", null)).localDeletes("d");

      assertThat(trees.plan()).containsExactly(new RemoteMove("r", ROOT, "report.txt"));
      trees.sync();
      assertThat(trees.remoteContents())
          .containsOnly(entry("report.txt", "file:c1"), entry("notes.txt", "file:c2"));
    }
  }

  @Nested
  class When_both_sides_move_an_item {

    @Test
    void to_the_same_place_it_is_recorded_as_synced() {
      ThreeTrees trees =
          base()
              .remote(file("n", "d", "todo.txt", "c2", "v2"))
              .local(file("n", "d", "todo.txt", "c2", null));

      assertThat(trees.plan()).containsExactly(new RecordSynced("n", "n"));
    }

    @Test
    void to_different_places_the_remote_place_wins() {
      ThreeTrees trees =
          base()
              .remote(file("n", "d", "notes.txt", "c2", "v2"))
              .local(file("n", ROOT, "todo.txt", "c2", null));

      assertThat(trees.plan()).containsExactly(new LocalMove("n", "todo.txt", "docs/notes.txt"));
    }

    @Test
    void a_rename_on_one_side_and_an_edit_on_the_other_both_apply() {
      ThreeTrees trees =
          base()
              .remote(file("r", "d", "final.txt", "c1", "v1"))
              .local(file("r", "d", "report.txt", "c9", null));

      trees.sync();

      assertThat(trees.remoteContents()).containsEntry("docs/final.txt", "file:c9");
      assertThat(trees.remoteContents()).isEqualTo(trees.localContents());
      assertThat(trees.remote.get("r").name()).isEqualTo("final.txt");
    }

    @Test
    void into_each_other_the_remote_side_wins() {
      ThreeTrees trees =
          ThreeTrees.agreeingOn(folder("a", ROOT, "A"), folder("b", ROOT, "B"))
              .local(folder("a", "b", "A"))
              .remote(folder("b", "a", "B"));

      List<List<SyncAction>> rounds = trees.sync();

      assertThat(rounds.getFirst()).containsExactly(new LocalMove("a", "B/A", "A"));
      assertThat(trees.localContents())
          .containsOnly(entry("A", "folder"), entry("A/B", "folder"))
          .isEqualTo(trees.remoteContents());
    }
  }

  @Nested
  class When_names_collide {

    @Test
    void a_case_only_rename_is_a_move() {
      ThreeTrees trees = base().local(file("n", ROOT, "Notes.txt", "c2", null));

      assertThat(trees.plan()).containsExactly(new RemoteMove("n", ROOT, "Notes.txt"));
    }

    @Test
    void a_new_local_name_goes_to_the_server_in_nfc() {
      ThreeTrees trees = base().local(file("l1", ROOT, "cafe\u0301.txt", "c5", null));

      assertThat(trees.plan())
          .containsExactly(new RemoteUpload("l1", ROOT, "caf\u00e9.txt", "c5", null));
    }

    @Test
    void nfc_and_nfd_spellings_of_a_new_name_are_one_name() {
      ThreeTrees trees =
          base()
              .remote(file("e1", ROOT, "caf\u00e9.txt", "c5", "v5"))
              .local(file("l1", ROOT, "cafe\u0301.txt", "c5", null));

      assertThat(trees.plan()).containsExactly(new RecordSynced("l1", "e1"));
    }

    @Test
    void two_new_folders_with_one_name_merge_and_so_do_their_contents() {
      ThreeTrees trees =
          base()
              .remote(folder("e1", ROOT, "photos"))
              .remote(file("e2", "e1", "a.jpg", "c5", "v5"))
              .local(folder("l1", ROOT, "photos"))
              .local(file("l2", "l1", "b.jpg", "c6", null));

      assertThat(trees.plan()).containsExactly(new RecordSynced("l1", "e1"));
      trees.sync();
      assertThat(trees.remoteContents())
          .contains(entry("photos/a.jpg", "file:c5"), entry("photos/b.jpg", "file:c6"))
          .isEqualTo(trees.localContents());
    }

    @Test
    void two_new_files_with_one_name_and_one_content_are_one_file() {
      ThreeTrees trees =
          base()
              .remote(file("e1", ROOT, "a.txt", "c5", "v5"))
              .local(file("l1", ROOT, "A.txt", "c5", null));

      assertThat(trees.plan()).containsExactly(new RecordSynced("l1", "e1"));
    }

    @Test
    void two_new_files_with_one_name_are_both_kept_and_the_remote_one_keeps_the_name() {
      ThreeTrees trees =
          base()
              .remote(file("e1", ROOT, "a.txt", "c5", "v5"))
              .local(file("l1", ROOT, "a.txt", "c6", null));

      assertThat(trees.plan()).containsExactly(new ConflictCopy("l1", "a.txt", copy("a.txt")));
      trees.sync();
      assertThat(trees.remoteContents())
          .contains(entry("a.txt", "file:c5"), entry(copy("a.txt"), "file:c6"));
    }

    @Test
    void a_new_local_folder_where_a_new_remote_file_is_gets_a_conflicted_name() {
      ThreeTrees trees =
          base().remote(file("e1", ROOT, "a.b", "c5", "v5")).local(folder("l1", ROOT, "a.b"));

      assertThat(trees.plan())
          .containsExactly(
              new ConflictCopy(
                  "l1",
                  "a.b",
                  ConflictNames.copyName(
                      "a.b",
                      coffer.core.model.NodeKind.FOLDER,
                      "Laptop",
                      ThreeTrees.CONTEXT.now(),
                      ThreeTrees.CONTEXT.zone())));
    }

    @Test
    void a_local_move_into_a_name_the_remote_side_took_goes_to_a_conflicted_name() {
      ThreeTrees trees =
          base()
              .remote(file("e1", ROOT, "todo.txt", "c5", "v5"))
              .local(file("n", ROOT, "todo.txt", "c2", null));

      assertThat(trees.plan()).containsExactly(new ConflictCopy("n", "todo.txt", copy("todo.txt")));
      trees.sync();
      assertThat(trees.remoteContents())
          .containsOnlyKeys("docs", "docs/report.txt", "todo.txt", copy("todo.txt"))
          .contains(entry("todo.txt", "file:c5"), entry(copy("todo.txt"), "file:c2"))
          .isEqualTo(trees.localContents());
    }

    @Test
    void swapped_names_do_not_deadlock() {
      ThreeTrees trees =
          ThreeTrees.agreeingOn(
                  file("a", ROOT, "a.txt", "c1", "v1"), file("b", ROOT, "b.txt", "c2", "v2"))
              .local(file("a", ROOT, "b.txt", "c1", null))
              .local(file("b", ROOT, "a.txt", "c2", null));

      List<List<SyncAction>> rounds = trees.sync();

      assertThat(rounds.getFirst()).singleElement().isInstanceOf(RemoteMove.class);
      assertThat(trees.remote.get("a").name()).isEqualTo("b.txt");
      assertThat(trees.remote.get("b").name()).isEqualTo("a.txt");
      assertThat(trees.remoteContents()).isEqualTo(trees.localContents());
    }

    @Test
    void two_local_names_that_differ_only_in_case_are_both_kept() {
      ThreeTrees trees =
          base()
              .local(file("l1", ROOT, "a.txt", "c5", null))
              .local(file("l2", ROOT, "A.txt", "c6", null));

      assertThat(trees.plan())
          .containsExactlyInAnyOrder(
              new ConflictCopy("l1", "a.txt", copy("a.txt")),
              new RemoteUpload("l2", ROOT, "A.txt", "c6", null));
      trees.sync();
      assertThat(trees.remoteContents())
          .contains(entry("A.txt", "file:c6"), entry(copy("a.txt"), "file:c5"));
    }
  }

  @Nested
  class When_the_executor_stopped_halfway {

    @Test
    void a_file_uploaded_but_never_recorded_is_recognised_not_uploaded_again() {
      ThreeTrees trees =
          base()
              .local(file("l1", ROOT, "new.txt", "c5", null))
              .remote(file("n1", ROOT, "new.txt", "c5", "v5"));

      assertThat(trees.plan()).containsExactly(new RecordSynced("l1", "n1"));
    }

    @Test
    void a_folder_re_created_but_never_recorded_is_merged_with_its_server_copy() {
      ThreeTrees trees =
          base()
              .remoteDeletes("d")
              .remote(folder("n1", ROOT, "docs"))
              .local(file("l1", "d", "new.txt", "c5", null));

      assertThat(trees.plan())
          .containsExactlyInAnyOrder(
              new RecordSynced("d", "n1"), new LocalDelete("r", "docs/report.txt", "c1"));
      trees.sync();
      assertThat(trees.remoteContents())
          .containsOnly(
              entry("docs", "folder"),
              entry("docs/new.txt", "file:c5"),
              entry("notes.txt", "file:c2"))
          .isEqualTo(trees.localContents());
    }
  }

  @Nested
  class When_a_local_name_is_unsyncable {

    @Test
    void it_is_reported_and_never_uploaded() {
      List<SyncAction> plan = base().local(file("l1", ROOT, "CON", "c5", null)).plan();

      assertThat(plan)
          .singleElement()
          .isInstanceOfSatisfying(
              Unsyncable.class,
              report -> {
                assertThat(report.localId()).isEqualTo("l1");
                assertThat(report.path()).isEqualTo("CON");
                assertThat(report.reason()).contains("reserved device name");
              });
    }

    @Test
    void what_it_holds_is_skipped_too() {
      List<SyncAction> plan =
          base()
              .local(folder("l1", ROOT, "what?"))
              .local(file("l2", "l1", "inside.txt", "c5", null))
              .plan();

      assertThat(plan).singleElement().isInstanceOf(Unsyncable.class);
    }

    @Test
    void renaming_a_known_file_to_it_is_not_a_delete() {
      List<SyncAction> plan = base().local(file("n", ROOT, "notes?.txt", "c2", null)).plan();

      assertThat(plan).singleElement().isInstanceOf(Unsyncable.class);
    }

    @Test
    void a_remote_delete_does_not_delete_it_or_what_it_holds() {
      List<SyncAction> plan = base().local(folder("d", ROOT, "docs.")).remoteDeletes("d").plan();

      assertThat(plan).singleElement().isInstanceOf(Unsyncable.class);
    }
  }
}
