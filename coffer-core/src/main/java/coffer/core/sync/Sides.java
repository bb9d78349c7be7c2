package coffer.core.sync;

import coffer.core.name.NodeName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one planning round shares between its stages: the three trees, the facts derived from them,
 * an entry per id, and the slots this round's actions have claimed, so no two of them put items in
 * the same place.
 */
final class Sides {

  final SyncTree remote;
  final SyncTree local;
  final SyncTree synced;
  final String root;
  final PlanContext context;
  final Unsyncables unsyncables;
  final SubtreeFacts facts;

  /** Every id of the three trees, in id order, so a plan is the same for the same trees. */
  final List<Entry> ordered = new ArrayList<>();

  final Map<String, Entry> entries = new HashMap<>();

  private final Set<Slot> reservedLocal = new HashSet<>();
  private final Set<Slot> reservedRemote = new HashSet<>();

  Sides(SyncTree remote, SyncTree local, SyncTree synced, PlanContext context) {
    this.remote = remote;
    this.local = local;
    this.synced = synced;
    this.root = synced.rootId();
    this.context = context;
    this.unsyncables = new Unsyncables(remote, local, synced);
    this.facts = new SubtreeFacts(remote, local, synced, unsyncables);
  }

  SyncTree tree(Entry.Side side) {
    return switch (side) {
      case LOCAL -> local;
      case REMOTE -> remote;
    };
  }

  /** Whether {@code parentId} can hold a new child in {@code side} now. */
  boolean folderExists(Entry.Side side, String parentId) {
    if (parentId.equals(root)) {
      return true;
    }
    return tree(side).contains(parentId)
        && !(side == Entry.Side.LOCAL && unsyncables.skipped(parentId));
  }

  /** Whether a child named {@code name} of {@code parentId} would collide in {@code side}. */
  boolean taken(Entry.Side side, String parentId, String name) {
    Slot slot = new Slot(parentId, NodeName.key(name));
    return !tree(side).allByKey(parentId, slot.key()).isEmpty() || reserved(side).contains(slot);
  }

  /** Claims {@code slot} in {@code side} for this round; false if an action already has it. */
  boolean reserve(Entry.Side side, Slot slot) {
    return reserved(side).add(slot);
  }

  /** The local path of a child named {@code name} of the local folder {@code parentId}. */
  String localChildPath(String parentId, String name) {
    String parentPath = local.path(parentId);
    return parentPath.isEmpty() ? name : parentPath + "/" + name;
  }

  private Set<Slot> reserved(Entry.Side side) {
    return switch (side) {
      case LOCAL -> reservedLocal;
      case REMOTE -> reservedRemote;
    };
  }
}
