package coffer.server.files;

import coffer.core.api.CreateFolderRequest;
import coffer.core.api.FileMetadata;
import coffer.core.api.FolderListing;
import coffer.core.api.MoveRequest;
import coffer.core.api.UploadMetadata;
import coffer.core.error.BadRequestException;
import coffer.core.error.CofferException;
import coffer.core.error.ConflictException;
import coffer.core.error.NotFoundException;
import coffer.core.manifest.ChunkRef;
import coffer.core.manifest.Manifest;
import coffer.core.model.Ids;
import coffer.core.model.JournalOp;
import coffer.core.model.Node;
import coffer.core.model.NodeKind;
import coffer.core.model.Revision;
import coffer.core.name.NodeName;
import coffer.core.name.RemotePath;
import coffer.server.auth.Principal;
import coffer.server.blob.BlobStore;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataTransaction;
import coffer.server.notify.Notifier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files and folders of a user's tree: every change is one metadata transaction that also appends to
 * the namespace's journal, followed by a change hint. A stranger's node is reported as not found,
 * never as forbidden, so ids reveal nothing.
 */
public final class FileService {

  /** The id that always names the caller's root folder. */
  public static final String ROOT_ALIAS = "root";

  private final MetadataStore store;
  private final BlobStore blobs;
  private final Notifier notifier;
  private final Clock clock;

  public FileService(MetadataStore store, BlobStore blobs, Notifier notifier, Clock clock) {
    this.store = store;
    this.blobs = blobs;
    this.notifier = notifier;
    this.clock = clock;
  }

  /** Commits stored content as a new file, or a new revision of the file at the target. */
  public FileMetadata commitUpload(Principal p, UploadMetadata target, Manifest manifest) {
    if (target == null) {
      throw new BadRequestException(
          "missing-metadata", "The upload needs a 'fileMetadata' part with a path.");
    }
    Instant now = clock.instant();
    return change(p, tx -> putIn(tx, p, target, manifest, now));
  }

  /**
   * Inside a transaction: the file at {@code target} with {@code manifest}'s content, whose chunks
   * must be stored. Identical content to the current revision writes nothing.
   */
  Journaled putIn(
      MetadataTransaction tx, Principal p, UploadMetadata target, Manifest manifest, Instant now) {
    requireStored(manifest);
    Place place = uploadPlace(tx, p, target, now);
    Access.writable(tx, p, place.parent());
    takeTurn(tx, place.parent().namespaceId());
    tx.chunks().grant(p.userId(), manifest.chunks(), now);
    Optional<Node> existing =
        tx.nodes().child(place.parent().namespaceId(), place.parent().id(), place.name().key());
    if (existing.isPresent()) {
      checkReplaceable(existing.get(), target);
    } else if (target.baseRevision() != null) {
      throw new ConflictException(
          "stale-revision", "The file was moved or deleted since you fetched it.");
    }
    return writeRevision(tx, p, existing.orElse(null), place.parent(), place.name(), manifest, now);
  }

  /**
   * New content for the file {@code id} wherever it is now, provided its current revision is still
   * {@code baseRevision} (when given).
   */
  public FileMetadata replaceContent(
      Principal p, String id, String baseRevision, Manifest manifest) {
    Instant now = clock.instant();
    return change(p, tx -> updateIn(tx, p, id, baseRevision, manifest, now));
  }

  /**
   * Inside a transaction: new content for the file {@code id} wherever it is now, provided its
   * current revision is still {@code baseRevision} (when given).
   */
  Journaled updateIn(
      MetadataTransaction tx,
      Principal p,
      String id,
      String baseRevision,
      Manifest manifest,
      Instant now) {
    requireStored(manifest);
    takeTurn(tx, Access.writable(tx, p, TreeLookup.visible(tx, p, id)).namespaceId());
    Node old = Access.writable(tx, p, TreeLookup.visible(tx, p, id));
    tx.chunks().grant(p.userId(), manifest.chunks(), now);
    if (old.isFolder()) {
      throw new ConflictException(
          "is-a-folder", "'" + old.name() + "' is a folder; a file cannot replace it.");
    }
    checkBase(old, baseRevision);
    return writeRevision(tx, p, old, null, NodeName.of(old.name()), manifest, now);
  }

  /**
   * A new revision of {@code old}, or a new file named {@code name} in {@code parent} when {@code
   * old} is null; the same content as {@code old}'s writes nothing.
   */
  private Journaled writeRevision(
      MetadataTransaction tx,
      Principal p,
      Node old,
      Node parent,
      NodeName name,
      Manifest manifest,
      Instant now) {
    if (old != null && manifest.contentHash().equals(old.contentHash())) {
      // The same content again: nothing changed, so no revision and no journal entry.
      return new Journaled(old, 0);
    }
    Quotas.check(
        tx,
        p,
        old != null ? old.namespaceId() : parent.namespaceId(),
        manifest.size() - (old == null ? 0 : old.size()));
    String revisionId = Ids.newId();
    Node node =
        old != null
            ? new Node(
                old.id(),
                old.namespaceId(),
                old.parentId(),
                old.name(),
                NodeKind.FILE,
                revisionId,
                manifest.size(),
                manifest.contentHash(),
                old.createdAt(),
                now,
                false)
            : new Node(
                Ids.newId(),
                parent.namespaceId(),
                parent.id(),
                name.value(),
                NodeKind.FILE,
                revisionId,
                manifest.size(),
                manifest.contentHash(),
                now,
                now,
                false);
    tx.revisions()
        .insert(
            new Revision(
                revisionId,
                node.namespaceId(),
                node.id(),
                manifest.size(),
                manifest.contentHash(),
                manifest,
                p.deviceId(),
                now));
    if (old == null) {
      tx.nodes().insert(node, name.key());
      return journaled(tx, node, JournalOp.CREATE, now);
    }
    tx.nodes().update(node, name.key());
    return journaled(tx, node, JournalOp.UPDATE, now);
  }

  /**
   * Fails early, before any bytes are sent, when an upload to {@code target} could not commit as
   * things stand: a folder in the way, or an existing file without {@code overwrite} or with a
   * different revision than {@code baseRevision}. Commit checks again.
   */
  public void precheck(Principal p, UploadMetadata target) {
    precheck(p, target, 0);
  }

  /** As {@link #precheck(Principal, UploadMetadata)}, and that {@code size} bytes fit the quota. */
  public void precheck(Principal p, UploadMetadata target, long size) {
    if (target == null) {
      throw new BadRequestException(
          "missing-target", "Give the upload a 'path', or a 'parentId' and a 'name'.");
    }
    store.read(
        tx -> {
          Node parent;
          NodeName name;
          if (target.path() != null) {
            RemotePath path = RemotePath.parse(target.path());
            name = path.name();
            parent = TreeLookup.root(tx, p);
            for (NodeName folder : path.parent().names()) {
              parent = Access.inside(tx, p, parent);
              Optional<Node> next =
                  tx.nodes().child(parent.namespaceId(), parent.id(), folder.key());
              if (next.isEmpty()) {
                // Missing folders are created at commit: nothing can clash, but it must fit.
                Quotas.check(tx, p, Access.writable(tx, p, parent).namespaceId(), size);
                return null;
              }
              parent = next.get();
              if (!parent.isFolder()) {
                throw new ConflictException("not-a-folder", "'" + parent.name() + "' is a file.");
              }
            }
            parent = Access.inside(tx, p, parent);
          } else {
            if (target.parentId() == null || target.name() == null) {
              throw new BadRequestException(
                  "missing-target", "Give the upload a 'path', or a 'parentId' and a 'name'.");
            }
            parent = TreeLookup.folder(tx, p, target.parentId());
            name = NodeName.of(target.name());
          }
          Access.writable(tx, p, parent);
          Optional<Node> existing = tx.nodes().child(parent.namespaceId(), parent.id(), name.key());
          if (existing.isPresent()) {
            checkReplaceable(existing.get(), target);
          } else if (target.baseRevision() != null) {
            throw new ConflictException(
                "stale-revision", "The file was moved or deleted since you fetched it.");
          }
          Quotas.check(tx, p, parent.namespaceId(), size - existing.map(Node::size).orElse(0L));
          return null;
        });
  }

  /**
   * Metadata never points at a chunk the blob store lacks. Checked inside the commit transaction,
   * which the garbage collector's deletions cannot interleave with.
   */
  private void requireStored(Manifest manifest) {
    long absent =
        manifest.chunks().stream()
            .map(ChunkRef::hash)
            .distinct()
            .filter(h -> !blobs.exists(h))
            .count();
    if (absent > 0) {
      throw new ConflictException(
          "chunks-missing", absent + " chunk(s) of this file are not stored; upload them again.");
    }
  }

  private static void checkReplaceable(Node existing, UploadMetadata target) {
    if (existing.isFolder()) {
      throw new ConflictException(
          "is-a-folder", "'" + existing.name() + "' is a folder; a file cannot replace it.");
    }
    boolean baseMatches =
        target.baseRevision() != null && target.baseRevision().equals(existing.revisionId());
    if (target.baseRevision() != null && !baseMatches) {
      throw new ConflictException(
          "stale-revision",
          "The file changed since revision " + target.baseRevision() + "; fetch it first.",
          existing.revisionId());
    }
    if (!baseMatches && !Boolean.TRUE.equals(target.overwrite())) {
      throw new ConflictException(
          "file-exists",
          "A file named '" + existing.name() + "' already exists; set overwrite to replace it.");
    }
  }

  public FileMetadata createFolder(Principal p, CreateFolderRequest request) {
    if (request == null) {
      throw new BadRequestException("missing-body", "Give a path, or a parentId and a name.");
    }
    Instant now = clock.instant();
    return change(p, tx -> mkdirIn(tx, p, request, now));
  }

  /** Inside a transaction: a new folder, or (with {@code parents}) the existing one. */
  Journaled mkdirIn(MetadataTransaction tx, Principal p, CreateFolderRequest request, Instant now) {
    boolean parents = Boolean.TRUE.equals(request.parents());
    Node parent;
    NodeName name;
    if (request.path() != null) {
      RemotePath path = RemotePath.parse(request.path());
      parent =
          parents
              ? ensureFolders(tx, p, path.parent(), now)
              : TreeLookup.folderAt(tx, p, path.parent());
      name = path.name();
    } else {
      if (request.parentId() == null || request.name() == null) {
        throw new BadRequestException(
            "missing-target", "Give the folder a 'path', or a 'parentId' and a 'name'.");
      }
      parent = TreeLookup.folder(tx, p, request.parentId());
      name = NodeName.of(request.name());
    }
    Optional<Node> existing = tx.nodes().child(parent.namespaceId(), parent.id(), name.key());
    if (existing.isPresent()) {
      if (parents && existing.get().isFolder()) {
        return new Journaled(existing.get(), 0);
      }
      throw new ConflictException(
          "name-taken", "Something named '" + existing.get().name() + "' already exists.");
    }
    return newFolder(tx, p, parent, name, now);
  }

  public FileMetadata metadata(Principal p, String id) {
    return store.read(tx -> view(tx, p, TreeLookup.visible(tx, p, id)));
  }

  public FileMetadata lookup(Principal p, String path) {
    return store.read(tx -> view(tx, p, TreeLookup.at(tx, p, RemotePath.parse(path))));
  }

  public FolderListing list(Principal p, String id) {
    return store.read(
        tx -> {
          Node folder = TreeLookup.visible(tx, p, id);
          if (!folder.isFolder()) {
            throw new ConflictException("not-a-folder", "'" + folder.name() + "' is a file.");
          }
          FileMetadata shown = view(tx, p, folder);
          Node inside = Access.inside(tx, p, folder);
          List<FileMetadata> children =
              tx.nodes().children(inside.namespaceId(), inside.id()).stream()
                  .sorted(
                      Comparator.comparing((Node n) -> !n.isFolder())
                          .thenComparing(n -> NodeName.key(n.name()))
                          .thenComparing(Node::name))
                  .map(
                      n ->
                          FileViews.of(
                              n,
                              childPath(shown.path(), n.name()),
                              inside.isRoot() ? folder.id() : n.parentId()))
                  .toList();
          return new FolderListing(shown, children);
        });
  }

  /** Renames and/or moves a node; moving a folder into itself or its subtree is refused. */
  public FileMetadata move(Principal p, String id, MoveRequest request) {
    if (request == null) {
      throw new BadRequestException("missing-body", "Give a new path, or a parentId and/or name.");
    }
    Instant now = clock.instant();
    return change(p, tx -> moveIn(tx, p, id, request, now));
  }

  /** Inside a transaction: renames and/or moves a node. */
  Journaled moveIn(
      MetadataTransaction tx, Principal p, String id, MoveRequest request, Instant now) {
    Node node = Access.movable(tx, p, TreeLookup.visible(tx, p, id));
    if (request.baseRevision() != null) {
      takeTurn(tx, node.namespaceId());
      node = Access.movable(tx, p, TreeLookup.visible(tx, p, id));
    }
    checkBase(node, request.baseRevision());
    if (node.isRoot()) {
      throw new BadRequestException("root-immutable", "The root folder cannot be moved.");
    }
    Node parent;
    NodeName name;
    if (request.path() != null) {
      RemotePath path = RemotePath.parse(request.path());
      parent = TreeLookup.folderAt(tx, p, path.parent());
      name = path.name();
    } else {
      parent =
          request.parentId() == null
              ? tx.nodes().byId(node.parentId()).orElseThrow()
              : TreeLookup.folder(tx, p, request.parentId());
      name = request.name() == null ? NodeName.of(node.name()) : NodeName.of(request.name());
    }
    Access.writable(tx, p, parent);
    for (Node up = parent; up != null; up = parentOf(tx, up)) {
      if (up.id().equals(node.id())) {
        throw new BadRequestException(
            "move-into-self", "A folder cannot be moved into itself or its own subfolder.");
      }
    }
    Map<String, Long> left = Map.of();
    Quotas.Guard quota = null;
    if (!parent.namespaceId().equals(node.namespaceId())) {
      quota = Quotas.before(tx, parent.namespaceId());
      left = leaveNamespace(tx, p, node, parent.namespaceId(), now);
    }
    Node moved =
        new Node(
            node.id(),
            parent.namespaceId(),
            parent.id(),
            name.value(),
            node.kind(),
            node.revisionId(),
            node.size(),
            node.contentHash(),
            node.createdAt(),
            now,
            false,
            node.mountNamespace());
    tx.nodes().update(moved, name.key());
    if (quota != null) {
      quota.after(tx, p); // a tree moved into another owner's folder counts against them
    }
    Journaled done = journaled(tx, moved, JournalOp.MOVE, now);
    if (left.isEmpty()) {
      return done;
    }
    // The members of the namespace it joined learn everything that came with it, parents first.
    long seq = Namespaces.journalDescendants(tx, moved, JournalOp.CREATE, now);
    Map<String, Long> hints = new HashMap<>(left);
    hints.put(moved.namespaceId(), Math.max(seq, done.seq()));
    return new Journaled(moved, Math.max(seq, done.seq()), false, hints);
  }

  /**
   * Takes a node and its subtree out of its namespace into {@code target}: the members of the
   * namespace it leaves see it deleted. A mount cannot go into a shared namespace (no nesting).
   */
  private Map<String, Long> leaveNamespace(
      MetadataTransaction tx, Principal p, Node node, String target, Instant now) {
    if (!target.equals(p.homeNamespace()) && tx.nodes().hasMountIn(node.namespaceId(), node.id())) {
      throw new ConflictException(
          "nested-share", "A shared folder cannot be put inside another shared folder.");
    }
    if (!tx.namespaces().ownerId(node.namespaceId()).equals(p.userId())) {
      // An editor who takes something out of a shared folder takes it for themselves; the owner
      // keeps a copy in their trash, so a member can never make the owner lose anything.
      copyIntoTrash(tx, node, now);
    }
    long seq = Namespaces.journal(tx, node, JournalOp.DELETE, pathOf(tx, node), now);
    tx.nodes().moveToNamespace(node.namespaceId(), node.id(), target, true);
    return Map.of(node.namespaceId(), seq);
  }

  /**
   * Copies a node and its live subtree, every version included, as one trash item of its namespace
   * (new ids; the content is shared, not copied).
   */
  private static void copyIntoTrash(MetadataTransaction tx, Node top, Instant now) {
    Map<String, String> copies = new HashMap<>();
    java.util.ArrayDeque<Node> queue = new java.util.ArrayDeque<>(List.of(top));
    while (!queue.isEmpty()) {
      Node n = queue.poll();
      String copyId = Ids.newId();
      copies.put(n.id(), copyId);
      String current = null;
      for (Revision r : tx.revisions().forNode(n.namespaceId(), n.id()).reversed()) {
        Revision full = tx.revisions().byId(r.id()).orElseThrow();
        String revisionId = Ids.newId();
        tx.revisions()
            .insert(
                new Revision(
                    revisionId,
                    n.namespaceId(),
                    copyId,
                    full.size(),
                    full.contentHash(),
                    full.manifest(),
                    full.deviceId(),
                    full.createdAt()));
        if (r.id().equals(n.revisionId())) {
          current = revisionId;
        }
      }
      tx.nodes()
          .insert(
              new Node(
                  copyId,
                  n.namespaceId(),
                  n == top ? n.parentId() : copies.get(n.parentId()),
                  n.name(),
                  n.kind(),
                  current,
                  n.size(),
                  n.contentHash(),
                  n.createdAt(),
                  now,
                  true),
              NodeName.key(n.name()));
      if (n.isFolder()) {
        queue.addAll(tx.nodes().children(n.namespaceId(), n.id()));
      }
    }
  }

  /** Moves a node, and everything under it, to the trash. */
  public void delete(Principal p, String id) {
    delete(p, id, null, null);
  }

  /**
   * Moves a node, and everything under it, to the trash, provided a file still has {@code
   * baseRevision} and nothing in the subtree changed after {@code baseSeq} (either may be null).
   */
  public void delete(Principal p, String id, String baseRevision, Long baseSeq) {
    Instant now = clock.instant();
    change(p, tx -> deleteIn(tx, p, id, baseRevision, baseSeq, now));
  }

  /** Inside a transaction: moves a node and its subtree to the trash. */
  Journaled deleteIn(
      MetadataTransaction tx,
      Principal p,
      String id,
      String baseRevision,
      Long baseSeq,
      Instant now) {
    Node node = Access.movable(tx, p, TreeLookup.visible(tx, p, id));
    if (baseRevision != null) {
      takeTurn(tx, node.namespaceId());
      node = Access.movable(tx, p, TreeLookup.visible(tx, p, id));
    }
    if (node.isRoot()) {
      throw new BadRequestException("root-immutable", "The root folder cannot be deleted.");
    }
    checkBase(node, baseRevision);
    if (baseSeq != null && tx.journal().lastSeqInSubtree(node.namespaceId(), node.id()) > baseSeq) {
      throw new ConflictException(
          "changed-since",
          "'"
              + node.name()
              + "' or something in it changed since "
              + baseSeq
              + "; fetch changes first.",
          node.revisionId());
    }
    String path = pathOf(tx, node);
    tx.nodes().trash(node.namespaceId(), node.id(), now);
    long seq = Namespaces.journal(tx, node, JournalOp.DELETE, path, now);
    return new Journaled(node, seq);
  }

  /**
   * Makes writers into {@code namespaceId} that call this take turns: content commits, and moves
   * and deletes that name a base revision. What they check must be read after it. On PostgreSQL
   * each statement reads what was committed when it began, so two commits could otherwise both find
   * revision r current and both replace it, the second undoing the first unseen; exactly one of
   * them must win. The lock is the one quota checks take, on the row of the namespace's owner, held
   * to the end of the transaction (SQLite lets one writer in at a time anyway). It comes before a
   * commit grants its chunks: a grant's row refers to its user's row and share-locks it, and two
   * commits that each held that share lock and then asked for this lock (as the quota check does)
   * would deadlock.
   */
  private static void takeTurn(MetadataTransaction tx, String namespaceId) {
    Quotas.lockOwner(tx, namespaceId);
  }

  /** A stale {@code baseRevision} is a conflict that names the current one. */
  private static void checkBase(Node node, String baseRevision) {
    if (baseRevision != null && !baseRevision.equals(node.revisionId())) {
      throw new ConflictException(
          "stale-revision",
          "'" + node.name() + "' changed since revision " + baseRevision + "; fetch it first.",
          node.revisionId());
    }
  }

  /** A file's metadata and the manifest of its current revision, for download. */
  public FileContent content(Principal p, String id) {
    return content(p, id, null);
  }

  /**
   * A file's metadata and the manifest of one of its revisions ({@code revisionId}), or of its
   * current one when that is null. A revision of another file is not found.
   */
  public FileContent content(Principal p, String id, String revisionId) {
    return store.read(tx -> contentIn(tx, p, id, revisionId));
  }

  /** One file's content as {@link #contents} finds it: the content, or why it cannot be had. */
  public record Found(FileContent content, CofferException problem) {}

  /**
   * {@link #content(Principal, String, String)} for many files in one read of the metadata: the
   * folders above them are read once rather than once per file. One answer per ref, in order; a
   * file that cannot be had (gone, a folder, not visible) is a problem, not a failure of the rest.
   */
  public List<Found> contents(Principal p, List<coffer.core.api.Contents.Ref> refs) {
    return store.read(
        tx -> {
          List<Found> found = new ArrayList<>(refs.size());
          for (coffer.core.api.Contents.Ref ref : refs) {
            try {
              found.add(new Found(contentIn(tx, p, ref.id(), ref.revision()), null));
            } catch (CofferException e) {
              found.add(new Found(null, e));
            }
          }
          return found;
        });
  }

  private static FileContent contentIn(
      MetadataTransaction tx, Principal p, String id, String revisionId) {
    Node node = TreeLookup.visible(tx, p, id);
    if (node.isFolder()) {
      throw new ConflictException(
          "is-a-folder", "'" + node.name() + "' is a folder; list it instead.");
    }
    Revision revision =
        tx.revisions()
            .byId(revisionId == null ? node.revisionId() : revisionId)
            .filter(r -> r.nodeId().equals(node.id()))
            .orElseThrow(
                () -> new NotFoundException("version-not-found", "This file has no such version."));
    // The metadata describes the revision sent, which may be an old one.
    Node asOf =
        new Node(
            node.id(),
            node.namespaceId(),
            node.parentId(),
            node.name(),
            node.kind(),
            revision.id(),
            revision.size(),
            revision.contentHash(),
            node.createdAt(),
            revision.id().equals(node.revisionId()) ? node.modifiedAt() : revision.createdAt(),
            false);
    return new FileContent(view(tx, p, asOf), revision.manifest());
  }

  // --- inside transactions -------------------------------------------------------------------

  /** A change made inside a transaction: the node as it is now and its journal entry (0: none). */
  record Journaled(Node node, long seq, boolean created, Map<String, Long> hints) {
    Journaled(Node node, long seq) {
      this(node, seq, false);
    }

    Journaled(Node node, long seq, boolean created) {
      this(node, seq, created, seq > 0 ? Map.of(node.namespaceId(), seq) : Map.of());
    }
  }

  private record Place(Node parent, NodeName name) {}

  private interface Change {
    Journaled apply(MetadataTransaction tx);
  }

  /** Runs a change in one transaction, then announces it and returns the node's metadata. */
  private FileMetadata change(Principal p, Change change) {
    record Done(FileMetadata view, Journaled journaled) {}
    Done done =
        store.write(
            tx -> {
              Journaled journaled = change.apply(tx);
              return new Done(view(tx, p, journaled.node()), journaled);
            });
    done.journaled().hints().forEach(notifier::publish);
    return done.view();
  }

  private Journaled journaled(MetadataTransaction tx, Node node, JournalOp op, Instant now) {
    long seq = Namespaces.journal(tx, node, op, pathOf(tx, node), now);
    return new Journaled(node, seq, op == JournalOp.CREATE);
  }

  private Place uploadPlace(
      MetadataTransaction tx, Principal p, UploadMetadata target, Instant now) {
    if (target.path() != null) {
      RemotePath path = RemotePath.parse(target.path());
      return new Place(ensureFolders(tx, p, path.parent(), now), path.name());
    }
    if (target.parentId() == null || target.name() == null) {
      throw new BadRequestException(
          "missing-target", "Give fileMetadata a 'path', or a 'parentId' and a 'name'.");
    }
    return new Place(TreeLookup.folder(tx, p, target.parentId()), NodeName.of(target.name()));
  }

  private Journaled newFolder(
      MetadataTransaction tx, Principal p, Node parent, NodeName name, Instant now) {
    Access.writable(tx, p, parent);
    Node folder =
        new Node(
            Ids.newId(),
            parent.namespaceId(),
            parent.id(),
            name.value(),
            NodeKind.FOLDER,
            null,
            0,
            null,
            now,
            now,
            false);
    tx.nodes().insert(folder, name.key());
    return journaled(tx, folder, JournalOp.CREATE, now);
  }

  /** The folder at {@code path}, creating missing folders on the way (like {@code mkdir -p}). */
  private Node ensureFolders(MetadataTransaction tx, Principal p, RemotePath path, Instant now) {
    Node current = TreeLookup.root(tx, p);
    for (NodeName name : path.names()) {
      Optional<Node> child = tx.nodes().child(current.namespaceId(), current.id(), name.key());
      if (child.isPresent()) {
        current = child.get();
        if (!current.isFolder()) {
          throw new ConflictException("not-a-folder", "'" + current.name() + "' is a file.");
        }
        current = Access.inside(tx, p, current);
      } else {
        current = newFolder(tx, p, current, name, now).node();
      }
    }
    return current;
  }

  private static Node parentOf(MetadataTransaction tx, Node node) {
    return NodePaths.parentOf(tx, node);
  }

  static FileMetadata view(MetadataTransaction tx, Principal p, Node node) {
    return Access.view(tx, p, node);
  }

  private static String pathOf(MetadataTransaction tx, Node node) {
    return NodePaths.pathOf(tx, node);
  }

  private static String childPath(String parentPath, String name) {
    return parentPath.equals("/") ? "/" + name : parentPath + "/" + name;
  }
}
