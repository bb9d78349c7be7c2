package coffer.server.files;

import coffer.core.api.FileMetadata;
import coffer.core.error.BadRequestException;
import coffer.core.error.ForbiddenException;
import coffer.core.error.NotFoundException;
import coffer.core.model.Node;
import coffer.core.model.Role;
import coffer.server.auth.Principal;
import coffer.server.metadata.MetadataTransaction;
import coffer.server.metadata.ShareRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a caller may see and change, inside a transaction: their home namespace (as its owner), the
 * shared namespaces mounted in it (with their role there), and single files shared with them.
 * Everything else does not exist for them: "not found", never "forbidden", so ids reveal nothing.
 * What they can see but not change is a 403 {@code read-only}.
 *
 * <p>A shared namespace appears to each member under their own mount, so a node's path and its
 * parent (for the namespace root's children: the mount) are given from the caller's point of view.
 */
public final class Access {
  private Access() {}

  /**
   * A namespace the caller sees, their role in it, and the mount that shows it in their home (null
   * for the home itself).
   */
  public record Grant(String namespaceId, Role role, Node mount) {}

  /** The namespaces a caller sees, their home first. */
  public static List<Grant> namespaces(MetadataTransaction tx, Principal p) {
    List<Grant> grants = new ArrayList<>();
    grants.add(new Grant(home(p), Role.OWNER, null));
    for (ShareRecords.Member m : tx.shares().memberships(p.userId())) {
      liveMount(tx, p, m)
          .ifPresent(mount -> grants.add(new Grant(m.namespaceId(), m.role(), mount)));
    }
    return grants;
  }

  /** The caller's grant in one namespace, when they see it. */
  public static Optional<Grant> grant(MetadataTransaction tx, Principal p, String namespaceId) {
    if (namespaceId.equals(home(p))) {
      return Optional.of(new Grant(namespaceId, Role.OWNER, null));
    }
    return tx.shares()
        .member(namespaceId, p.userId())
        .flatMap(m -> liveMount(tx, p, m).map(mount -> new Grant(namespaceId, m.role(), mount)));
  }

  private static Optional<Node> liveMount(
      MetadataTransaction tx, Principal p, ShareRecords.Member m) {
    if (m.mountId() == null) {
      return Optional.empty();
    }
    return tx.nodes()
        .byId(m.mountId())
        .filter(
            n ->
                !n.deleted()
                    && n.namespaceId().equals(home(p))
                    && m.namespaceId().equals(n.mountNamespace()));
  }

  /**
   * The caller's role for a node they see (in a namespace they see, or a file shared with them).
   */
  public static Optional<Role> role(MetadataTransaction tx, Principal p, Node node) {
    Optional<Role> inNamespace = grant(tx, p, node.namespaceId()).map(Grant::role);
    if (inNamespace.isPresent()) {
      return inNamespace;
    }
    return tx.shares().file(p.userId(), node.id()).map(ShareRecords.SharedFile::role);
  }

  /** A live node the caller may see; anything else is "not found". The root alias is allowed. */
  public static Node visible(MetadataTransaction tx, Principal p, String id) {
    Node node = seen(tx, p, id);
    if (node.deleted()) {
      throw notFound();
    }
    return node;
  }

  /**
   * A node the caller may see, deleted or not (for history and versions). A namespace's root is
   * seen only as the caller's home root: a shared namespace's root is shown by its mount.
   */
  public static Node seen(MetadataTransaction tx, Principal p, String id) {
    if (id == null || id.isBlank()) {
      throw new BadRequestException("invalid-id", "A file id is required.");
    }
    if (id.equals(FileService.ROOT_ALIAS)) {
      return root(tx, p);
    }
    if (id.indexOf('\u0000') >= 0) {
      // No id holds NUL, and PostgreSQL cannot even compare text that does.
      throw notFound();
    }
    Node node = tx.nodes().byId(id).orElseThrow(Access::notFound);
    if (node.namespaceId().equals(home(p))) {
      return node;
    }
    if (!node.isRoot() && grant(tx, p, node.namespaceId()).isPresent()) {
      return node;
    }
    if (!node.isFolder() && tx.shares().file(p.userId(), node.id()).isPresent()) {
      return node;
    }
    throw notFound();
  }

  /** The node itself if the caller may change it; a 403 {@code read-only} if they only see it. */
  public static Node writable(MetadataTransaction tx, Principal p, Node node) {
    Role role = role(tx, p, node).orElseThrow(Access::notFound);
    if (!role.canWrite()) {
      throw readOnly(node);
    }
    return node;
  }

  /**
   * The node itself if the caller may move, rename or delete it: that takes editing rights in its
   * namespace; a file shared on its own can be given new content by an editor, nothing more.
   */
  public static Node movable(MetadataTransaction tx, Principal p, Node node) {
    Optional<Grant> grant = grant(tx, p, node.namespaceId());
    if (grant.isEmpty()) {
      role(tx, p, node).orElseThrow(Access::notFound);
      throw new ForbiddenException(
          "read-only",
          "'"
              + node.name()
              + "' is shared with you on its own; only its owner can move or delete it.");
    }
    if (!grant.get().role().canWrite()) {
      throw readOnly(node);
    }
    return node;
  }

  /**
   * The folder whose children a folder shows: for a mount, the shared namespace's root (when the
   * caller is still a member); for any other folder, itself.
   */
  public static Node inside(MetadataTransaction tx, Principal p, Node folder) {
    if (!folder.isMount()) {
      return folder;
    }
    grant(tx, p, folder.mountNamespace()).orElseThrow(Access::notFound);
    return tx.nodes().byId(tx.namespaces().rootId(folder.mountNamespace())).orElseThrow();
  }

  /** The caller's home root. */
  public static Node root(MetadataTransaction tx, Principal p) {
    return tx.nodes().byId(tx.namespaces().rootId(home(p))).orElseThrow();
  }

  /**
   * A namespace as one caller sees it: under their mount (none for their home), so the root's
   * children have the mount as their parent and paths start at the mount's path.
   */
  public record Perspective(Grant grant, String rootId, String mountPath) {

    public static Perspective of(MetadataTransaction tx, Grant grant) {
      if (grant.mount() == null) {
        return new Perspective(grant, null, ""); // the home: seen as it is, nothing to look up
      }
      return new Perspective(
          grant, tx.namespaces().rootId(grant.namespaceId()), NodePaths.pathOf(tx, grant.mount()));
    }

    /** A parent id as the caller sees it. */
    public String parent(String parentId) {
      return grant.mount() != null && rootId.equals(parentId) ? grant.mount().id() : parentId;
    }

    /** A path inside the namespace as the caller sees it. */
    public String path(String path) {
      return grant.mount() == null ? path : path.equals("/") ? mountPath : mountPath + path;
    }
  }

  /** A node as the caller sees it: its path and parent under their own mount. */
  public static FileMetadata view(MetadataTransaction tx, Principal p, Node node) {
    Optional<Grant> grant = grant(tx, p, node.namespaceId());
    if (grant.isEmpty()) {
      // A file shared on its own stands alone: no parent the caller could see.
      return FileViews.of(node, "/" + node.name(), null);
    }
    Perspective seen = Perspective.of(tx, grant.get());
    return FileViews.of(node, seen.path(NodePaths.pathOf(tx, node)), seen.parent(node.parentId()));
  }

  private static String home(Principal p) {
    if (p.homeNamespace() == null) {
      throw new BadRequestException("no-namespace", "This account has no files.");
    }
    return p.homeNamespace();
  }

  static NotFoundException notFound() {
    return new NotFoundException("not-found", "No file or folder with that id.");
  }

  static ForbiddenException readOnly(Node node) {
    return new ForbiddenException(
        "read-only",
        "You can view "
            + (node.isRoot() ? "this shared folder" : "'" + node.name() + "'")
            + " but not change it; ask its owner for editor access.");
  }
}
