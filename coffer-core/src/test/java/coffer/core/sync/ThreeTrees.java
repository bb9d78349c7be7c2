package coffer.core.sync;

import coffer.core.sync.SyncAction.Unsyncable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A fixture for example tests: a base both sides agreed on, then each side's changes; it plans one
 * round, or syncs to the end through {@link Simulation}.
 */
final class ThreeTrees {

  static final String ROOT = "root";

  static final PlanContext CONTEXT =
      new PlanContext("Laptop", Instant.parse("2026-03-01T14:25:30Z"), ZoneOffset.UTC);

  /** The name a local copy of {@code name} gets in the first round. */
  static String copy(String name) {
    return ConflictNames.copyName(name, "Laptop", CONTEXT.now(), CONTEXT.zone());
  }

  final MutableTree remote = new MutableTree(ROOT);
  final MutableTree local = new MutableTree(ROOT);
  final MutableTree synced = new MutableTree(ROOT);

  /** Both sides and the synced tree hold these items (the local tree without revisions). */
  static ThreeTrees agreeingOn(SyncItem... items) {
    ThreeTrees trees = new ThreeTrees();
    for (SyncItem item : items) {
      trees.remote.put(item);
      trees.synced.put(item);
      trees.local.put(withoutRevision(item));
    }
    return trees;
  }

  ThreeTrees remote(SyncItem item) {
    remote.put(item);
    return this;
  }

  ThreeTrees local(SyncItem item) {
    local.put(withoutRevision(item));
    return this;
  }

  ThreeTrees remoteDeletes(String id) {
    remote.removeSubtree(id);
    return this;
  }

  ThreeTrees localDeletes(String id) {
    local.removeSubtree(id);
    return this;
  }

  List<SyncAction> plan() {
    return Planner.plan(remote.snapshot(), local.snapshot(), synced.snapshot(), CONTEXT);
  }

  /** Plans and applies rounds until only reports are left; the plans of every round. */
  List<List<SyncAction>> sync() {
    Simulation simulation = new Simulation(remote, local, synced, new Random(1), 0, 0);
    List<List<SyncAction>> rounds = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      List<SyncAction> plan = plan();
      rounds.add(plan);
      if (plan.stream().allMatch(Unsyncable.class::isInstance)) {
        return rounds;
      }
      plan.forEach(simulation::apply);
    }
    throw new AssertionError("no end after 20 rounds: " + rounds);
  }

  /** Path → "folder" or "file:content" on the server, which after a sync the disk mirrors. */
  Map<String, String> remoteContents() {
    return remote.contents(Set.of());
  }

  Map<String, String> localContents() {
    return local.contents(Set.of());
  }

  private static SyncItem withoutRevision(SyncItem item) {
    return new SyncItem(item.id(), item.parentId(), item.name(), item.kind(), item.content(), null);
  }
}
