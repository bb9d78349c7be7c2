/**
 * The sync client's planner: a pure function from three trees to a batch of actions.
 *
 * <p>The client keeps a <b>remote</b> tree (the server's state, from the change feed), a
 * <b>local</b> tree (the disk's, from the watcher and scans) and a <b>synced</b> tree (the last
 * state both agreed on, the merge base). {@link coffer.core.sync.Planner#plan Planner.plan}
 * compares each id on each side with the synced tree and returns the next round of {@link
 * coffer.core.sync.SyncAction}s. Nothing here does I/O or keeps state between calls.
 *
 * <h2>What the executor must do</h2>
 *
 * <ol>
 *   <li>Plan against a consistent snapshot of the three trees.
 *   <li>Run the actions in any order, concurrently if it likes; none depends on another of the same
 *       batch. An action whose precondition no longer holds (a base revision, an expected content,
 *       a free name) fails and changes nothing; it is planned again or differently in the next
 *       round.
 *   <li>After each success, update its trees exactly as that action's Javadoc says, from the
 *       action's own fields, and atomically (one transaction in its index): a re-key of an id, the
 *       location or content recorded in the synced tree, an item added or removed.
 *   <li>Plan again, with whatever the watcher and the change feed brought in meanwhile, until a
 *       plan holds nothing but {@link coffer.core.sync.SyncAction.Unsyncable} reports.
 * </ol>
 *
 * <p>Deletes come only from positive observations against the synced tree: an id missing from a
 * side that has it in the synced tree. The executor must therefore never hand the planner a local
 * tree built from a missing or unreadable sync root, or a remote tree from a reset cursor, and it
 * should count the deletes of a plan and pause to ask above a threshold.
 */
package coffer.core.sync;
