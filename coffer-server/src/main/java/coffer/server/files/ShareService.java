package coffer.server.files;

import coffer.core.api.ShareMember;
import coffer.core.api.ShareRequest;
import coffer.core.api.SharedItem;
import coffer.core.api.Shares;
import coffer.core.error.BadRequestException;
import coffer.core.error.ConflictException;
import coffer.core.error.ForbiddenException;
import coffer.core.error.NotFoundException;
import coffer.core.model.Ids;
import coffer.core.model.JournalOp;
import coffer.core.model.Node;
import coffer.core.model.NodeKind;
import coffer.core.model.Role;
import coffer.core.model.User;
import coffer.core.name.NodeName;
import coffer.server.auth.Principal;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataTransaction;
import coffer.server.metadata.ShareRecords.Member;
import coffer.server.metadata.ShareRecords.SharedFile;
import coffer.server.notify.Notifier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sharing. A folder shared for the first time becomes a namespace of its own (its contents move
 * there with their ids; the folder stays in the owner's tree as the owner's mount), and each member
 * gets a mount in their home, journaled there so their devices see it arrive. A single file is
 * shared through the "shared with me" table and a {@code share} entry in the recipient's feed.
 * Ending a share removes the member's mount (their devices remove the folder); the owner's data is
 * untouched.
 */
public final class ShareService {

  private static final int MAX_USERS = 100;

  private final MetadataStore store;
  private final Notifier notifier;
  private final Clock clock;

  public ShareService(MetadataStore store, Notifier notifier, Clock clock) {
    this.store = store;
    this.notifier = notifier;
    this.clock = clock;
  }

  /** Shares a file or folder with users, or changes their roles. */
  public Shares share(Principal p, String fileId, ShareRequest request) {
    Map<String, Role> wanted = wanted(request);
    Instant now = clock.instant();
    Map<String, Long> hints = new HashMap<>();
    Shares shares =
        store.write(
            tx -> {
              Node node = Access.visible(tx, p, fileId);
              if (node.isRoot()) {
                throw new BadRequestException(
                    "cannot-share-root", "Share a folder or a file, not your whole tree.");
              }
              String ns =
                  node.isFolder() ? sharedNamespace(tx, p, node, now, hints) : node.namespaceId();
              mayShare(tx, p, ns, node);
              if (request.editorsCanShare() != null) {
                if (!tx.namespaces().ownerId(ns).equals(p.userId()) || !node.isFolder()) {
                  throw new ForbiddenException(
                      "cannot-share",
                      "Only the owner of a shared folder decides who may share it.");
                }
                tx.namespaces().setEditorsCanShare(ns, request.editorsCanShare());
              }
              for (Map.Entry<String, Role> grant : wanted.entrySet()) {
                User user = recipient(tx, p, ns, grant.getKey());
                if (node.isFolder()) {
                  addMember(tx, p, ns, node, user, grant.getValue(), now, hints);
                } else {
                  addFileShare(tx, p, node, user, grant.getValue(), now, hints);
                }
              }
              return shares(tx, tx.nodes().byId(node.id()).orElseThrow());
            });
    hints.forEach(notifier::publish);
    return shares;
  }

  /** Who a file or folder is shared with; anyone who sees it may ask. */
  public Shares shares(Principal p, String fileId) {
    return store.read(tx -> shares(tx, Access.visible(tx, p, fileId)));
  }

  /**
   * Ends a share. The owner (or an editor allowed to share) may remove anyone but the owner; anyone
   * may remove themselves.
   */
  public void unshare(Principal p, String fileId, String username) {
    Instant now = clock.instant();
    Map<String, Long> hints = new HashMap<>();
    store.write(
        tx -> {
          Node node = Access.visible(tx, p, fileId);
          User user =
              tx.users()
                  .byUsername(username == null ? "" : username)
                  .orElseThrow(ShareService::notShared);
          if (node.isFolder()) {
            if (!node.isMount()) {
              throw notShared();
            }
            String ns = node.mountNamespace();
            Member member = tx.shares().member(ns, user.id()).orElseThrow(ShareService::notShared);
            if (member.role() == Role.OWNER) {
              throw new BadRequestException(
                  "cannot-remove-owner", "The owner of a shared folder cannot be removed from it.");
            }
            if (!user.id().equals(p.userId())) {
              mayShare(tx, p, ns, node);
            }
            tx.shares().removeMember(ns, user.id());
            removeMount(tx, member, user, now, hints);
            // Links the member made to what is inside stop working with their access.
            tx.links().revokeMadeBy(ns, user.id(), now);
          } else {
            if (!user.id().equals(p.userId())) {
              mayShare(tx, p, node.namespaceId(), node);
            }
            if (!tx.shares().removeFile(user.id(), node.id())) {
              throw notShared();
            }
          }
          return null;
        });
    hints.forEach(notifier::publish);
  }

  /** What others share with the caller: mounted folders and single files, newest first. */
  public List<SharedItem> sharedWithMe(Principal p) {
    return store.read(
        tx -> {
          List<SharedItem> items = new ArrayList<>();
          for (Member m : tx.shares().memberships(p.userId())) {
            if (m.role() == Role.OWNER || m.mountId() == null) {
              continue;
            }
            tx.nodes()
                .byId(m.mountId())
                .ifPresent(
                    mount ->
                        items.add(
                            new SharedItem(
                                mount.id(),
                                NodeKind.FOLDER.wire(),
                                mount.name(),
                                mount.deleted() ? null : NodePaths.pathOf(tx, mount),
                                username(tx, tx.namespaces().ownerId(m.namespaceId())),
                                m.role().wire(),
                                m.createdAt())));
          }
          for (SharedFile f : tx.shares().filesSharedWith(p.userId())) {
            tx.nodes()
                .byId(f.nodeId())
                .filter(n -> !n.deleted())
                .ifPresent(
                    n ->
                        items.add(
                            new SharedItem(
                                n.id(),
                                NodeKind.FILE.wire(),
                                n.name(),
                                null,
                                username(tx, tx.namespaces().ownerId(n.namespaceId())),
                                f.role().wire(),
                                f.createdAt())));
          }
          items.sort((a, b) -> b.sharedAt().compareTo(a.sharedAt()));
          return items;
        });
  }

  // --- inside transactions -------------------------------------------------------------------

  /**
   * The namespace a folder shows when shared: a mount's own, or a new one the folder's contents
   * move into (their ids stay). Shared folders do not nest.
   */
  private static String sharedNamespace(
      MetadataTransaction tx, Principal p, Node folder, Instant now, Map<String, Long> hints) {
    if (folder.isMount()) {
      return folder.mountNamespace();
    }
    if (!folder.namespaceId().equals(p.homeNamespace())) {
      throw new ConflictException(
          "nested-share", "'" + folder.name() + "' is inside a shared folder; share that instead.");
    }
    if (tx.nodes().hasMountIn(folder.namespaceId(), folder.id())) {
      throw new ConflictException(
          "nested-share", "'" + folder.name() + "' holds a shared folder; shares cannot nest.");
    }
    String ns = Ids.newId();
    Namespaces.create(tx, ns, p.userId(), now);
    String root = tx.namespaces().rootId(ns);
    tx.nodes().moveToNamespace(folder.namespaceId(), folder.id(), ns, false);
    tx.nodes().reparentChildren(ns, folder.id(), root);
    tx.nodes().setMount(folder.id(), ns);
    tx.shares().putMember(new Member(ns, p.userId(), Role.OWNER, folder.id(), p.userId(), now));
    // The owner's other devices learn of it (and read the new namespace) from an entry about it.
    Node mount = tx.nodes().byId(folder.id()).orElseThrow();
    hints.merge(
        mount.namespaceId(),
        Namespaces.journal(tx, mount, JournalOp.MOVE, NodePaths.pathOf(tx, mount), now),
        Math::max);
    return ns;
  }

  /** Owners share; editors too when the owner allows it; viewers never. */
  static void mayShare(MetadataTransaction tx, Principal p, String ns, Node node) {
    // For a folder, the role in the namespace it shows (a member owns their mount, not its
    // contents).
    Role role =
        (node.isFolder()
                ? Access.grant(tx, p, ns).map(Access.Grant::role)
                : Access.role(tx, p, node))
            .orElseThrow(Access::notFound);
    boolean allowed =
        tx.namespaces().ownerId(ns).equals(p.userId())
            || (role == Role.EDITOR
                && Access.grant(tx, p, ns).isPresent()
                && tx.namespaces().editorsCanShare(ns));
    if (!allowed) {
      throw new ForbiddenException(
          "cannot-share", "Only the owner can share '" + node.name() + "' or change who has it.");
    }
  }

  private static User recipient(MetadataTransaction tx, Principal p, String ns, String username) {
    User user =
        tx.users()
            .byUsername(username)
            .orElseThrow(
                () ->
                    new NotFoundException("no-such-user", "There is no user '" + username + "'."));
    if (user.id().equals(p.userId())) {
      throw new BadRequestException("share-with-self", "You already have it.");
    }
    if (user.id().equals(tx.namespaces().ownerId(ns))) {
      throw new BadRequestException(
          "cannot-change-owner", "'" + user.username() + "' owns it; the owner's role is fixed.");
    }
    return user;
  }

  private static void addMember(
      MetadataTransaction tx,
      Principal p,
      String ns,
      Node folder,
      User user,
      Role role,
      Instant now,
      Map<String, Long> hints) {
    var existing =
        tx.shares()
            .member(ns, user.id())
            .filter(
                m ->
                    m.mountId() != null
                        && tx.nodes().byId(m.mountId()).filter(n -> !n.deleted()).isPresent());
    if (existing.isPresent()) {
      Member m = existing.get();
      if (m.role() == role) {
        return;
      }
      tx.shares()
          .putMember(new Member(ns, m.userId(), role, m.mountId(), m.addedBy(), m.createdAt()));
      // The member's devices learn the new role from a fresh entry about their mount.
      tx.nodes()
          .byId(m.mountId())
          .filter(mount -> !mount.deleted())
          .ifPresent(
              mount ->
                  hints.merge(
                      mount.namespaceId(),
                      Namespaces.journal(
                          tx, mount, JournalOp.MOVE, NodePaths.pathOf(tx, mount), now),
                      Math::max));
      return;
    }
    Node root = tx.nodes().byId(tx.namespaces().rootId(user.homeNamespace())).orElseThrow();
    NodeName name = freeName(tx, root, folder.name(), username(tx, tx.namespaces().ownerId(ns)));
    Node mount =
        new Node(
            Ids.newId(),
            user.homeNamespace(),
            root.id(),
            name.value(),
            NodeKind.FOLDER,
            null,
            0,
            null,
            now,
            now,
            false,
            ns);
    tx.nodes().insert(mount, name.key());
    tx.shares().putMember(new Member(ns, user.id(), role, mount.id(), p.userId(), now));
    hints.merge(
        user.homeNamespace(),
        Namespaces.journal(tx, mount, JournalOp.CREATE, "/" + name.value(), now),
        Math::max);
  }

  private static void addFileShare(
      MetadataTransaction tx,
      Principal p,
      Node file,
      User user,
      Role role,
      Instant now,
      Map<String, Long> hints) {
    boolean isNew = tx.shares().file(user.id(), file.id()).isEmpty();
    tx.shares()
        .putFile(new SharedFile(user.id(), file.id(), file.namespaceId(), role, p.userId(), now));
    if (isNew) {
      // A note in the recipient's feed: it is not in their tree, so it has no parent there.
      Node note =
          new Node(
              file.id(),
              user.homeNamespace(),
              null,
              file.name(),
              NodeKind.FILE,
              file.revisionId(),
              file.size(),
              file.contentHash(),
              file.createdAt(),
              file.modifiedAt(),
              false);
      hints.merge(
          user.homeNamespace(),
          Namespaces.journal(tx, note, JournalOp.SHARE, "/" + file.name(), now),
          Math::max);
    }
  }

  private static void removeMount(
      MetadataTransaction tx, Member member, User user, Instant now, Map<String, Long> hints) {
    if (member.mountId() == null) {
      return;
    }
    tx.nodes()
        .byId(member.mountId())
        .ifPresent(
            mount -> {
              if (!mount.deleted()) {
                hints.merge(
                    user.homeNamespace(),
                    Namespaces.journal(
                        tx, mount, JournalOp.DELETE, NodePaths.pathOf(tx, mount), now),
                    Math::max);
              }
              tx.nodes().removeMount(mount.id());
            });
    // Parked long-polls and streams of the member wake and find the folder gone.
    hints.merge(member.namespaceId(), tx.namespaces().lastSeq(member.namespaceId()), Math::max);
  }

  private static Shares shares(MetadataTransaction tx, Node node) {
    String owner = username(tx, tx.namespaces().ownerId(node.namespaceId()));
    List<ShareMember> members = new ArrayList<>();
    boolean editorsCanShare = false;
    if (node.isMount()) {
      String ns = node.mountNamespace();
      owner = username(tx, tx.namespaces().ownerId(ns));
      editorsCanShare = tx.namespaces().editorsCanShare(ns);
      for (Member m : tx.shares().members(ns)) {
        members.add(new ShareMember(username(tx, m.userId()), m.role().wire(), m.createdAt()));
      }
    } else {
      members.add(new ShareMember(owner, Role.OWNER.wire(), node.createdAt()));
      if (!node.isFolder()) {
        for (SharedFile f : tx.shares().fileShares(node.id())) {
          members.add(new ShareMember(username(tx, f.userId()), f.role().wire(), f.createdAt()));
        }
      }
    }
    members.sort(
        (a, b) ->
            a.role().equals(Role.OWNER.wire()) ? -1 : b.role().equals(Role.OWNER.wire()) ? 1 : 0);
    return new Shares(
        node.id(), node.kind().wire(), node.name(), owner, editorsCanShare, List.copyOf(members));
  }

  /** "Name", else "Name (owner)", "Name (owner 2)", … : a mount never hides anything. */
  private static NodeName freeName(MetadataTransaction tx, Node parent, String name, String owner) {
    NodeName candidate = NodeName.of(name);
    for (int n = 1;
        tx.nodes().child(parent.namespaceId(), parent.id(), candidate.key()).isPresent();
        n++) {
      candidate = NodeName.of(name + (n == 1 ? " (" + owner + ")" : " (" + owner + " " + n + ")"));
    }
    return candidate;
  }

  private static String username(MetadataTransaction tx, String userId) {
    return tx.users().byId(userId).map(User::username).orElse("?");
  }

  private static Map<String, Role> wanted(ShareRequest request) {
    if (request == null || request.users() == null || request.users().isEmpty()) {
      throw new BadRequestException(
          "missing-users",
          "Name the users to share with: {\"users\": [...], \"permissions\": [...]}.");
    }
    if (request.users().size() > MAX_USERS) {
      throw new BadRequestException(
          "too-many-users", "Share with at most " + MAX_USERS + " users at a time.");
    }
    List<String> permissions = request.permissions() == null ? List.of() : request.permissions();
    if (permissions.size() != 1 && permissions.size() != request.users().size()) {
      throw new BadRequestException(
          "invalid-permissions",
          "Give one permission for everyone, or one per user (viewer or editor).");
    }
    Map<String, Role> wanted = new java.util.LinkedHashMap<>();
    for (int i = 0; i < request.users().size(); i++) {
      String user = request.users().get(i);
      String text = permissions.get(permissions.size() == 1 ? 0 : i);
      Role role = Role.parse(text);
      if (role == null || role == Role.OWNER) {
        throw new BadRequestException(
            "invalid-role", "'" + text + "' is not a role to give: use viewer or editor.");
      }
      if (user == null || user.isBlank()) {
        throw new BadRequestException("missing-users", "A user name is empty.");
      }
      wanted.put(user.strip(), role);
    }
    return wanted;
  }

  private static NotFoundException notShared() {
    return new NotFoundException("not-shared", "It is not shared with that user.");
  }
}
