package coffer.core.sync;

import static java.util.Objects.requireNonNull;

/**
 * One step the executor takes to bring the remote and local trees together, and how it records the
 * step's success in the synced tree. A plan's actions are independent: they may run in any order
 * and concurrently, and each names at most one item; a failed action changes nothing and is simply
 * planned again.
 *
 * <p>Ids are the trees' ids. Paths are local: relative to the sync root, {@code /}-separated, made
 * of the local tree's names (which may differ from the server's in Unicode form). "Location" is a
 * parent id and a name.
 *
 * <p>Each record's Javadoc says how the executor updates its trees after the action succeeds. It
 * takes the values from the action itself, never from a remote tree that has changed since the plan
 * was made, since recording a state that one side does not hold would turn into a false edit in the
 * next round.
 */
public sealed interface SyncAction {

  /**
   * Create a folder on the server for the local folder {@code localId}.
   *
   * <p>Afterwards: the server's new id replaces {@code localId} in the local tree and, if there, in
   * the synced tree (children follow); the synced tree gets the folder at ({@code parentId}, {@code
   * name}).
   *
   * @param parentId the server id of the folder to create it in (exists on the server)
   * @param name the name to give it, in NFC
   */
  record RemoteMkdir(String localId, String parentId, String name) implements SyncAction {
    public RemoteMkdir {
      requireNonNull(localId, "localId is null");
      requireNonNull(parentId, "parentId is null");
      requireNonNull(name, "name is null");
    }
  }

  /**
   * Upload the local file {@code localId}, whose content is {@code content}.
   *
   * <p>With a null {@code baseRevision} this creates a new file at ({@code parentId}, {@code
   * name}); afterwards the server's new id replaces {@code localId} in the local tree and, if
   * there, in the synced tree, and the synced tree gets the file with its location, content and new
   * revision. Otherwise it adds a revision to the existing file {@code localId}, which is at
   * ({@code parentId}, {@code name}) on the server; the server refuses it unless the file's current
   * revision is {@code baseRevision}. Afterwards the synced tree gets the content and the new
   * revision; its location there is unchanged.
   *
   * @param baseRevision null for a new file, else the revision the upload replaces
   */
  record RemoteUpload(
      String localId, String parentId, String name, String content, String baseRevision)
      implements SyncAction {
    public RemoteUpload {
      requireNonNull(localId, "localId is null");
      requireNonNull(parentId, "parentId is null");
      requireNonNull(name, "name is null");
      requireNonNull(content, "content is null");
    }
  }

  /**
   * Move and/or rename the server's node {@code id} to ({@code parentId}, {@code name}). Afterwards
   * the synced tree records that location for {@code id}.
   */
  record RemoteMove(String id, String parentId, String name) implements SyncAction {
    public RemoteMove {
      requireNonNull(id, "id is null");
      requireNonNull(parentId, "parentId is null");
      requireNonNull(name, "name is null");
    }
  }

  /**
   * Delete the server's node {@code id}, a folder with everything in it. The planner has checked
   * that the server's subtree is the synced one and that none of it remains locally. Afterwards the
   * item and its subtree leave the synced tree.
   *
   * @param baseRevision for a file, the revision to delete (the server refuses another); null for a
   *     folder
   */
  record RemoteDelete(String id, String baseRevision) implements SyncAction {
    public RemoteDelete {
      requireNonNull(id, "id is null");
    }
  }

  /**
   * Create a local folder at {@code path} for the server's folder {@code id}; nothing may be there
   * yet. Afterwards the local and synced trees hold the folder {@code id} at the location {@code
   * path} names (its parent folder and last segment).
   */
  record LocalMkdir(String id, String path) implements SyncAction {
    public LocalMkdir {
      requireNonNull(id, "id is null");
      requireNonNull(path, "path is null");
    }
  }

  /**
   * Download revision {@code revision} of the server's file {@code id} (content {@code content}) to
   * {@code path}: to a temporary file, then renamed into place. The executor skips the action if
   * the disk disagrees with {@code expectedContent}, so a user's newer bytes are never overwritten.
   *
   * <p>Afterwards, with a null {@code expectedContent}, the synced tree holds the file {@code id}
   * at the location {@code path} names, with this content and revision; otherwise only its content
   * and revision change there.
   *
   * @param expectedContent what the local file {@code id} at {@code path} holds now, or null when
   *     nothing may be at {@code path}
   */
  record LocalWrite(String id, String path, String content, String revision, String expectedContent)
      implements SyncAction {
    public LocalWrite {
      requireNonNull(id, "id is null");
      requireNonNull(path, "path is null");
      requireNonNull(content, "content is null");
    }
  }

  /**
   * Move or rename the local item {@code id} from {@code fromPath} to {@code toPath}, whose parent
   * exists and where nothing is. Afterwards the synced tree records the location {@code toPath}
   * names for {@code id}.
   */
  record LocalMove(String id, String fromPath, String toPath) implements SyncAction {
    public LocalMove {
      requireNonNull(id, "id is null");
      requireNonNull(fromPath, "fromPath is null");
      requireNonNull(toPath, "toPath is null");
    }
  }

  /**
   * Delete the local item {@code id} at {@code path}: a file only if it still holds {@code
   * expectedContent}, a folder with its subtree, which the planner has checked is the synced one
   * (the executor should check it against the disk again). Afterwards the item and its subtree
   * leave the local and synced trees.
   *
   * @param expectedContent for a file, the content it must hold; null for a folder
   */
  record LocalDelete(String id, String path, String expectedContent) implements SyncAction {
    public LocalDelete {
      requireNonNull(id, "id is null");
      requireNonNull(path, "path is null");
    }
  }

  /**
   * Rename the local file or folder {@code localId} at {@code path} to {@code copyPath}, a
   * conflicted-copy name in the same folder where nothing is. Afterwards the item is a brand-new
   * local item: it gets a fresh local id in the local tree (children follow), and the synced tree
   * is unchanged, so the next round uploads the copy and treats the old id as gone locally.
   */
  record ConflictCopy(String localId, String path, String copyPath) implements SyncAction {
    public ConflictCopy {
      requireNonNull(localId, "localId is null");
      requireNonNull(path, "path is null");
      requireNonNull(copyPath, "copyPath is null");
    }
  }

  /**
   * The local item {@code localId} and the server's item {@code id} already agree: same kind, same
   * content, same location by name key. Afterwards {@code id} replaces {@code localId} in the local
   * tree and, if there, in the synced tree (children follow), and the synced tree holds the
   * server's item {@code id} as it was when the plan was made. Used when both sides made the same
   * change, to merge two new folders (or files alike), and to merge an item re-created here with
   * one just like it that appeared on the server.
   */
  record RecordSynced(String localId, String id) implements SyncAction {
    public RecordSynced {
      requireNonNull(localId, "localId is null");
      requireNonNull(id, "id is null");
    }
  }

  /** Both sides deleted {@code id}: afterwards it and its subtree leave the synced tree. */
  record Forget(String id) implements SyncAction {
    public Forget {
      requireNonNull(id, "id is null");
    }
  }

  /**
   * The local item {@code localId} at {@code path} has a name the server refuses, for {@code
   * reason}. It and everything under it are neither uploaded nor deleted on either side; this is a
   * report, and the executor changes nothing. A plan that holds only these is finished.
   */
  record Unsyncable(String localId, String path, String reason) implements SyncAction {
    public Unsyncable {
      requireNonNull(localId, "localId is null");
      requireNonNull(path, "path is null");
      requireNonNull(reason, "reason is null");
    }
  }
}
