package coffer.core.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks from a round's candidate actions a set that is safe to run in any order and at once,
 * leaving the rest for later rounds. Each action is safe on its own against the trees as they are;
 * two of them clash when one changes what the other relies on:
 *
 * <ul>
 *   <li>local actions name items by path, so none may use a path through a folder another one
 *       moves, renames or deletes;
 *   <li>two moves on one side (or two new parents recorded in the synced tree) may each be fine and
 *       together form a cycle (A into B, B into A's subtree), so no move may go below a folder
 *       another one moves;
 *   <li>a remote placement into a folder whose local twin is being copied aside would land in the
 *       wrong one.
 * </ul>
 *
 * Candidates are taken shallowest first, so a folder's move goes before what is inside it, and the
 * first candidate is always taken: every round makes progress.
 */
final class Independence {

  private final Sides sides;

  private final Set<String> localChanged = new HashSet<>();
  private final Set<String> localUsed = new HashSet<>();
  private final Set<String> remoteMoved = new HashSet<>();
  private final Set<String> remoteUsed = new HashSet<>();
  private final Set<String> remoteTargets = new HashSet<>();
  private final Set<String> copied = new HashSet<>();
  private final Set<String> syncedMoved = new HashSet<>();
  private final Set<String> syncedUsed = new HashSet<>();

  Independence(Sides sides) {
    this.sides = sides;
  }

  List<Planned> filter(List<Planned> candidates) {
    record Candidate(Planned planned, List<String> localNodes, int depth) {}
    List<Candidate> ordered = new ArrayList<>(candidates.size());
    for (Planned p : candidates) {
      List<String> nodes = localNodes(p);
      int depth = nodes.size();
      if (p.movesRemote) {
        depth = Math.max(depth, chain(sides.remote, p.subject(), false).size());
      }
      ordered.add(new Candidate(p, nodes, depth));
    }
    ordered.sort(Comparator.comparingInt(Candidate::depth));
    List<Planned> kept = new ArrayList<>(candidates.size());
    for (Candidate c : ordered) {
      if (take(c.planned(), c.localNodes())) {
        kept.add(c.planned());
      }
    }
    // Back to the entries' order, so the same trees give the same plan.
    List<Planned> inOrder = new ArrayList<>(kept.size());
    Set<Planned> taken = new HashSet<>(kept);
    for (Planned p : candidates) {
      if (taken.contains(p)) {
        inOrder.add(p);
      }
    }
    return inOrder;
  }

  private boolean take(Planned p, List<String> localNodes) {
    if (p.movesLocal && localUsed.contains(p.localSource)) {
      return false;
    }
    for (String node : localNodes) {
      if (localChanged.contains(node)) {
        return false;
      }
    }
    List<String> remoteNodes = List.of();
    if (p.movesRemote) {
      if (remoteUsed.contains(p.subject())) {
        return false;
      }
      remoteNodes = chain(sides.remote, p.remoteTarget, true);
      for (String node : remoteNodes) {
        if (remoteMoved.contains(node)) {
          return false;
        }
      }
    }
    if (p.remoteTarget != null && copied.contains(p.remoteTarget)) {
      return false;
    }
    if (p.copiesAside && remoteTargets.contains(p.subject())) {
      return false;
    }
    List<String> syncedNodes = List.of();
    if (p.syncedMoved != null) {
      if (syncedUsed.contains(p.syncedMoved)) {
        return false;
      }
      syncedNodes = chain(sides.synced, p.syncedParent, true);
      // Recording the new parent must not put the item under itself in the synced tree.
      for (String node : syncedNodes) {
        if (node.equals(p.syncedMoved) || syncedMoved.contains(node)) {
          return false;
        }
      }
    }
    if (p.movesLocal) {
      localChanged.add(p.localSource);
    }
    localUsed.addAll(localNodes);
    if (p.movesRemote) {
      remoteMoved.add(p.subject());
      remoteUsed.addAll(remoteNodes);
    }
    if (p.remoteTarget != null) {
      remoteTargets.add(p.remoteTarget);
    }
    if (p.copiesAside) {
      copied.add(p.subject());
    }
    if (p.syncedMoved != null) {
      syncedMoved.add(p.syncedMoved);
      syncedUsed.addAll(syncedNodes);
    }
    return true;
  }

  /** The local folders whose paths the action's paths run through. */
  private List<String> localNodes(Planned p) {
    List<String> nodes = new ArrayList<>();
    if (p.localSource != null) {
      nodes.addAll(chain(sides.local, p.localSource, false));
    }
    if (p.localTarget != null) {
      nodes.addAll(chain(sides.local, p.localTarget, true));
    }
    return nodes;
  }

  /** The ancestors of {@code id} below the root, and {@code id} itself if {@code inclusive}. */
  private List<String> chain(SyncTree tree, String id, boolean inclusive) {
    List<String> nodes = new ArrayList<>();
    if (inclusive && !id.equals(sides.root)) {
      nodes.add(id);
    }
    SyncItem item = tree.find(id);
    while (item != null && !item.parentId().equals(sides.root)) {
      nodes.add(item.parentId());
      item = tree.find(item.parentId());
    }
    return nodes;
  }

  static boolean hasAncestorIn(SyncTree tree, String id, Set<String> ids) {
    SyncItem item = tree.find(id);
    while (item != null) {
      if (ids.contains(item.parentId())) {
        return true;
      }
      item = tree.find(item.parentId());
    }
    return false;
  }
}
