package coffer.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the planner against a simulated server and disk, CanopyCheck-style: random correlated trees,
 * each batch applied in a random order with a tenth of the actions failing and one in twenty
 * crashing the executor before it records what it did, until the planner has nothing left to do.
 * Each seed is one test; a failure names its seed and prints the trees and every round, and {@code
 * -Dplanner.seed=N} replays exactly that seed.
 */
class PlannerPropertyTest {

  private static final int MAX_ROUNDS = 50;
  private static final double FAILURE_RATE = 0.1;
  private static final double CRASH_RATE = 0.05;

  /** How many small scenarios run; {@code -Dplanner.seeds=100000} makes a long campaign. */
  private static final long SEEDS = Long.getLong("planner.seeds", 2_000);

  @TestFactory
  Stream<DynamicTest> small_trees_converge_to_equal_trees_without_losing_content() {
    return seeds(0, SEEDS).mapToObj(seed -> test(seed, 30, 10));
  }

  @TestFactory
  Stream<DynamicTest> larger_trees_with_many_edits_converge_too() {
    return seeds(1_000_000, Math.max(1, SEEDS / 20)).mapToObj(seed -> test(seed, 150, 60));
  }

  /**
   * {@code count} seeds from {@code first}; or only the one {@code -Dplanner.seed} names, if it is
   * of this kind (large trees have seeds from 1,000,000), even from beyond the usual count.
   */
  private static LongStream seeds(long first, long count) {
    Long only = Long.getLong("planner.seed");
    if (only == null) {
      return LongStream.range(first, first + count);
    }
    return (only >= 1_000_000) == (first >= 1_000_000) ? LongStream.of(only) : LongStream.empty();
  }

  private static DynamicTest test(long seed, int maxBase, int maxEdits) {
    return DynamicTest.dynamicTest("seed " + seed, () -> run(seed, maxBase, maxEdits));
  }

  private static void run(long seed, int maxBase, int maxEdits) {
    Scenario scenario = new Scenario(seed, maxBase, maxEdits);
    StringBuilder trace = new StringBuilder();
    trace.append("seed ").append(seed).append("\nbase:\n").append(new MutableTree(scenario.base));
    trace.append("edits:\n");
    scenario.edits.forEach(edit -> trace.append("  ").append(edit).append('\n'));
    trace.append("remote:\n").append(scenario.server).append("local:\n").append(scenario.disk);
    try {
      check(scenario, trace);
    } catch (AssertionError | RuntimeException failure) {
      throw new AssertionError(failure.getMessage() + "\n" + trace, failure);
    }
  }

  private static void check(Scenario scenario, StringBuilder trace) {
    SyncTree remoteBefore = scenario.server.snapshot();
    SyncTree localBefore = scenario.disk.snapshot();
    Simulation simulation =
        new Simulation(
            scenario.server,
            scenario.disk,
            scenario.synced,
            scenario.random,
            FAILURE_RATE,
            CRASH_RATE);
    boolean converged = false;
    boolean conflicted = false;
    int round = 0;
    while (!converged && round < MAX_ROUNDS) {
      round++;
      PlanContext context =
          new PlanContext(
              "Laptop", Instant.parse("2026-03-01T12:00:00Z").plusSeconds(round), ZoneOffset.UTC);
      SyncTree remote = scenario.server.snapshot();
      SyncTree local = scenario.disk.snapshot();
      SyncTree synced = scenario.synced.snapshot();
      List<SyncAction> plan = Planner.plan(remote, local, synced, context);
      trace.append("round ").append(round).append(":\n");
      plan.forEach(action -> trace.append("  ").append(action).append('\n'));
      assertThat(Planner.plan(remote, local, synced, context))
          .as("the same plan again")
          .isEqualTo(plan);
      assertOneActionPerId(plan);
      converged = plan.stream().allMatch(Unsyncable.class::isInstance);
      conflicted |= plan.stream().anyMatch(ConflictCopy.class::isInstance);
      List<SyncAction> shuffled = new ArrayList<>(plan);
      Collections.shuffle(shuffled, scenario.random);
      for (SyncAction action : shuffled) {
        if (!simulation.apply(action)) {
          trace.append("  failed or crashed: ").append(action).append('\n');
        }
      }
    }
    trace.append("final remote:\n").append(scenario.server);
    trace.append("final local:\n").append(scenario.disk);
    trace.append("final synced:\n").append(scenario.synced);
    assertThat(converged).as("converged within %d rounds", MAX_ROUNDS).isTrue();
    assertTreesAgree(scenario);
    assertNothingLost(scenario, remoteBefore, localBefore);
    if (!scenario.invalidNames) {
      assertDeletesPropagated(scenario, remoteBefore, localBefore);
    }
    // One-sided edits meet no rival, unless the disk holds two names with one key, or an item
    // sync must leave alone keeps its name on the server.
    if (oneSided(scenario) && localBefore.clashes().isEmpty() && !scenario.invalidNames) {
      assertThat(conflicted).as("a conflicted copy when only one side changed").isFalse();
    }
  }

  private static boolean oneSided(Scenario scenario) {
    return scenario.edits.stream().noneMatch(edit -> edit.startsWith("remote"))
        || scenario.edits.stream().noneMatch(edit -> edit.startsWith("local"));
  }

  private static void assertOneActionPerId(List<SyncAction> plan) {
    Set<String> ids = new HashSet<>();
    for (SyncAction action : plan) {
      for (String id : ids(action)) {
        assertThat(ids.add(id)).as("a second action for %s: %s", id, action).isTrue();
      }
    }
  }

  private static List<String> ids(SyncAction action) {
    return switch (action) {
      case RemoteMkdir a -> List.of(a.localId());
      case RemoteUpload a -> List.of(a.localId());
      case RemoteMove a -> List.of(a.id());
      case RemoteDelete a -> List.of(a.id());
      case LocalMkdir a -> List.of(a.id());
      case LocalWrite a -> List.of(a.id());
      case LocalMove a -> List.of(a.id());
      case LocalDelete a -> List.of(a.id());
      case ConflictCopy a -> List.of(a.localId());
      case RecordSynced a ->
          a.localId().equals(a.id()) ? List.of(a.id()) : List.of(a.localId(), a.id());
      case Forget a -> List.of(a.id());
      case Unsyncable a -> List.of();
    };
  }

  /** Remote, local and synced hold the same paths, kinds and contents, and the same ids. */
  private static void assertTreesAgree(Scenario scenario) {
    // Unsyncable items stay as they are, and so does whatever either side put under them, and
    // the server's folders that hold one and that the disk no longer has.
    Set<String> skipped = Scenario.unsyncable(scenario.disk);
    for (int size = -1; size != skipped.size(); ) {
      size = skipped.size();
      for (MutableTree tree : List.of(scenario.server, scenario.disk, scenario.synced)) {
        for (String id : List.copyOf(skipped)) {
          skipped.addAll(tree.subtree(id));
        }
      }
      for (String id : List.copyOf(skipped)) {
        SyncItem at = scenario.server.get(id);
        while (at != null && !scenario.disk.contains(at.parentId())) {
          skipped.add(at.parentId());
          at = scenario.server.get(at.parentId());
        }
      }
    }
    assertThat(scenario.disk.contents(skipped))
        .as("local = remote")
        .isEqualTo(scenario.server.contents(skipped));
    assertThat(scenario.synced.contents(skipped))
        .as("synced = remote")
        .isEqualTo(scenario.server.contents(skipped));
    for (SyncItem remote : scenario.server.items()) {
      if (!skipped.contains(remote.id())) {
        assertThat(scenario.synced.get(remote.id())).as("synced %s", remote.id()).isEqualTo(remote);
        assertThat(scenario.disk.contains(remote.id())).as("local %s", remote.id()).isTrue();
      }
    }
  }

  /**
   * Every content a side wrote (a new file or an edit) is still somewhere, maybe in a conflicted
   * copy; so is every file both sides hold alike.
   */
  private static void assertNothingLost(
      Scenario scenario, SyncTree remoteBefore, SyncTree localBefore) {
    Set<String> mustKeep = new TreeSet<>();
    mustKeep.addAll(written(scenario.base, remoteBefore));
    mustKeep.addAll(written(scenario.base, localBefore));
    for (SyncItem remote : remoteBefore.items()) {
      SyncItem local = localBefore.find(remote.id());
      if (!remote.isFolder() && local != null && remote.content().equals(local.content())) {
        mustKeep.add(remote.content());
      }
    }
    assertThat(contents(scenario)).as("contents after the sync").containsAll(mustKeep);
  }

  private static Set<String> written(SyncTree base, SyncTree side) {
    Set<String> written = new HashSet<>();
    for (SyncItem item : side.items()) {
      SyncItem before = base.find(item.id());
      if (!item.isFolder() && (before == null || !item.content().equals(before.content()))) {
        written.add(item.content());
      }
    }
    return written;
  }

  /**
   * A file one side deleted and the other left as it was, in folders left as they were, is gone
   * from both: a delete is never undone by a side that did not touch the file.
   */
  private static void assertDeletesPropagated(
      Scenario scenario, SyncTree remoteBefore, SyncTree localBefore) {
    Set<String> kept = contents(scenario);
    for (SyncItem base : scenario.base.items()) {
      if (base.isFolder()) {
        continue;
      }
      boolean deletedRemotely =
          !remoteBefore.contains(base.id()) && untouched(scenario.base, localBefore, base.id());
      boolean deletedLocally =
          !localBefore.contains(base.id()) && untouched(scenario.base, remoteBefore, base.id());
      if (deletedRemotely || deletedLocally) {
        assertThat(kept)
            .as("deleted on one side, untouched on the other")
            .doesNotContain(base.content());
      }
    }
  }

  private static Set<String> contents(Scenario scenario) {
    Set<String> contents = new TreeSet<>();
    for (MutableTree tree : List.of(scenario.server, scenario.disk)) {
      for (SyncItem item : tree.items()) {
        if (!item.isFolder()) {
          contents.add(item.content());
        }
      }
    }
    return contents;
  }

  private static boolean untouched(SyncTree base, SyncTree side, String id) {
    SyncItem item = side.find(id);
    if (item == null || !Objects.equals(item.content(), base.find(id).content())) {
      return false;
    }
    for (String at = id; !at.equals(base.rootId()); at = base.find(at).parentId()) {
      SyncItem now = side.find(at);
      if (now == null || !Location.of(now).equals(Location.of(base.find(at)))) {
        return false;
      }
    }
    return true;
  }
}
