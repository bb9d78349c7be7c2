package coffer.core.sync;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The sync client's planner: a pure function from the three trees to the next batch of actions.
 *
 * <p>The remote tree is the server's state, the local tree the disk's, and the synced tree the last
 * state both agreed on, the merge base. Each id is compared on each side with the synced tree; what
 * changed on one side only is applied to the other; what changed on both is merged by rules under
 * which nothing is lost: an edit beats a delete on either side, concurrent edits keep both (the
 * local one under a conflicted-copy name), and the remote side keeps a name or a location both
 * sides claim. See {@link SyncAction} for what each action does and how the executor records it.
 *
 * <p>A plan is one round. Its actions are safe to run in any order and concurrently; those that
 * must wait for another (a folder to be created first, a name to be vacated) are left for a later
 * round. The executor runs the batch, updates the trees, and plans again until a plan holds nothing
 * but {@link SyncAction.Unsyncable} reports.
 */
public final class Planner {

  private Planner() {}

  /**
   * Plans the next batch.
   *
   * @param remote the server's tree; every file has a revision
   * @param local the disk's tree: known items carry their server ids, items that exist only locally
   *     carry fresh ids no other tree has
   * @param synced the merge base
   * @param context names conflicted copies
   * @return the actions of this round, at most one per id; empty when the trees agree
   * @throws IllegalArgumentException if the trees have different roots, a remote file lacks a
   *     revision, or an id is a file in one tree and a folder in another
   */
  public static List<SyncAction> plan(
      SyncTree remote, SyncTree local, SyncTree synced, PlanContext context) {
    requireNonNull(remote, "remote is null");
    requireNonNull(local, "local is null");
    requireNonNull(synced, "synced is null");
    requireNonNull(context, "context is null");
    if (!remote.rootId().equals(synced.rootId()) || !local.rootId().equals(synced.rootId())) {
      throw new IllegalArgumentException("the three trees must share one root id");
    }
    for (SyncItem item : remote.items()) {
      if (!item.isFolder() && item.revision() == null) {
        throw new IllegalArgumentException("remote file " + item.id() + " has no revision");
      }
    }
    Sides sides = new Sides(remote, local, synced, context);
    Verdicts.judge(sides);
    new Arbiter(sides).settle();
    return new Batch(sides).actions();
  }
}
