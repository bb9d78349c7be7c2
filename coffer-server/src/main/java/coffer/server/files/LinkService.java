package coffer.server.files;

import coffer.core.api.FileMetadata;
import coffer.core.api.LinkInfo;
import coffer.core.api.LinkListing;
import coffer.core.api.LinkedItem;
import coffer.core.error.BadRequestException;
import coffer.core.error.ConflictException;
import coffer.core.error.GoneException;
import coffer.core.error.NotFoundException;
import coffer.core.error.UnauthenticatedException;
import coffer.core.hash.Sha256;
import coffer.core.model.Ids;
import coffer.core.model.Link;
import coffer.core.model.Node;
import coffer.core.model.Revision;
import coffer.core.name.NodeName;
import coffer.server.auth.AttemptLimiter;
import coffer.server.auth.PasswordHasher;
import coffer.server.auth.Principal;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataTransaction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Public links: a file or folder its owner lets anyone read who holds the link's token, without an
 * account, until the link expires or is revoked, and only with its password when it has one.
 *
 * <p>The token is 256 random bits; only its SHA-256 is stored, so the database cannot give a link
 * away. A link to a folder shows what is inside it, at any depth, and nothing outside it: every
 * node a visit names is checked to lie under the linked folder by walking up its parents. Every
 * node a visit reaches is found through {@link #resolve} and every listing through {@link
 * #childrenOf}, the two places that shared folders mounted inside a linked folder will extend.
 */
public final class LinkService {

  /** Where a link's token is visited: {@code /api/v1/links/{token}}. */
  public static final String PUBLIC_PATH = "/api/v1/links/";

  /** The scheme a 401 names when a link asks for its password. */
  public static final String PASSWORD_CHALLENGE = "Coffer-Link-Password";

  private static final int MAX_PASSWORD = 1024;
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MetadataStore store;
  private final PasswordHasher hasher;
  private final AttemptLimiter attempts;
  private final Clock clock;

  public LinkService(
      MetadataStore store, PasswordHasher hasher, AttemptLimiter attempts, Clock clock) {
    this.store = store;
    this.hasher = hasher;
    this.attempts = attempts;
    this.clock = clock;
  }

  /**
   * Who visits a link: its token, the password they sent (null: none) and the address they came
   * from, which wrong passwords are counted against beside the link.
   */
  public record Visit(String token, String password, String client) {}

  // --- the owner's side ----------------------------------------------------------------------

  /**
   * Makes a link to one of the caller's files or folders. {@code expiresAt} (null: never) must lie
   * in the future; {@code password} (null: none) must not be empty. The answer is the only one that
   * carries the token, in {@code token} and in {@code url} (a path the caller makes absolute).
   */
  public LinkInfo create(Principal p, String fileId, Instant expiresAt, String password) {
    Instant now = clock.instant();
    Instant expires = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS);
    if (expires != null && !expires.isAfter(now)) {
      throw new BadRequestException(
          "invalid-expiry", "A link's expiry must lie in the future, not at " + expiresAt + ".");
    }
    if (password != null && (password.isEmpty() || password.length() > MAX_PASSWORD)) {
      throw new BadRequestException(
          "invalid-password",
          "A link's password has 1 to " + MAX_PASSWORD + " characters; leave it out for none.");
    }
    // Argon2id is slow on purpose: hash before the transaction, not inside it.
    String passwordHash = password == null ? null : hasher.hash(password);
    String token = newToken();
    return store.write(
        tx -> {
          Node shown = TreeLookup.visible(tx, p, fileId);
          // A link shares as much as sharing with a person does: owners, and editors if allowed.
          ShareService.mayShare(tx, p, namespaceShown(shown), shown);
          Node node = linked(tx, shown);
          Link link =
              new Link(
                  Ids.newId(),
                  node.namespaceId(),
                  node.id(),
                  p.userId(),
                  now,
                  expires,
                  passwordHash,
                  null);
          tx.links().insert(link, tokenHash(token));
          return new LinkInfo(
              link.id(), node.id(), PUBLIC_PATH + token, token, expires, link.hasPassword(), now);
        });
  }

  /** The live links to one of the caller's files or folders, newest first, without tokens. */
  public List<LinkInfo> list(Principal p, String fileId) {
    return store.read(
        tx -> {
          Node node = linked(tx, TreeLookup.visible(tx, p, fileId));
          return tx.links().forNode(node.namespaceId(), node.id()).stream()
              .filter(l -> !l.revoked())
              .map(
                  l ->
                      new LinkInfo(
                          l.id(),
                          l.nodeId(),
                          null,
                          null,
                          l.expiresAt(),
                          l.hasPassword(),
                          l.createdAt()))
              .toList();
        });
  }

  /**
   * Revokes a link at once. Only who made it and the owner of its namespace may; to anyone else,
   * and for a link already revoked, it is not found.
   */
  public void revoke(Principal p, String linkId) {
    Instant now = clock.instant();
    store.write(
        tx -> {
          Link link =
              Optional.ofNullable(linkId)
                  .filter(id -> id.indexOf('\u0000') < 0)
                  .flatMap(id -> tx.links().byId(id))
                  .filter(l -> !l.revoked())
                  .filter(
                      l ->
                          l.createdBy().equals(p.userId())
                              || tx.namespaces().ownerId(l.namespaceId()).equals(p.userId()))
                  .orElseThrow(() -> new NotFoundException("link-not-found", "No such link."));
          return tx.links().revoke(link.namespaceId(), link.id(), now);
        });
  }

  // --- the visitor's side --------------------------------------------------------------------

  /**
   * What the link shows: the linked item, or (with {@code folderId}) a folder inside a linked
   * folder, and its children when it is a folder.
   */
  public LinkListing open(Visit visit, String folderId) {
    Link link = admit(visit);
    return store.read(
        tx -> {
          Located located = within(tx, target(tx, link), folderId);
          Node node = located.node();
          if (!node.isFolder()) {
            return new LinkListing(item(located), null, link.expiresAt());
          }
          List<LinkedItem> children =
              childrenOf(tx, node).stream()
                  .map(
                      child ->
                          item(
                              new Located(
                                  child, childPath(located.path(), child.name()), node.id())))
                  .toList();
          return new LinkListing(item(located), children, link.expiresAt());
        });
  }

  /**
   * The content of the linked file, or (with {@code fileId}) of a file inside a linked folder. Its
   * metadata names the path inside the link, never where the file lives in its owner's tree.
   */
  public FileContent content(Visit visit, String fileId) {
    Link link = admit(visit);
    return store.read(
        tx -> {
          Located located = within(tx, target(tx, link), fileId);
          Node node = located.node();
          if (node.isFolder()) {
            throw new ConflictException(
                "is-a-folder", "'" + node.name() + "' is a folder; list it instead.");
          }
          Revision revision =
              tx.revisions()
                  .byId(node.revisionId())
                  .orElseThrow(() -> notInLink("The file has no content."));
          return new FileContent(
              new FileMetadata(
                  node.id(),
                  node.kind().wire(),
                  node.name(),
                  located.path(),
                  null,
                  revision.size(),
                  revision.contentHash().hex(),
                  revision.id(),
                  node.createdAt(),
                  node.modifiedAt()),
              revision.manifest());
        });
  }

  /**
   * The link behind a visit, if it may be used: an unknown or revoked link is not found, an expired
   * one gone, and one with a password needs the right one, with wrong ones limited per link and per
   * client address.
   */
  private Link admit(Visit visit) {
    if (visit.token() == null || !TOKEN.matcher(visit.token()).matches()) {
      throw linkNotFound();
    }
    Sha256 hash = tokenHash(visit.token());
    Link link =
        store
            .read(tx -> tx.links().byTokenHash(hash))
            .filter(l -> !l.revoked())
            .orElseThrow(LinkService::linkNotFound);
    if (link.expiredAt(clock.instant())) {
      throw new GoneException("link-expired", "This link expired at " + link.expiresAt() + ".");
    }
    if (!link.hasPassword()) {
      return link;
    }
    if (visit.password() == null || visit.password().isEmpty()) {
      throw UnauthenticatedException.challenging(
          PASSWORD_CHALLENGE,
          "link-password-required",
          "This link has a password: send it in the X-Coffer-Link-Password header.");
    }
    AttemptLimiter.Attempt attempt =
        attempts.begin("link:" + link.id(), "client:" + visit.client());
    if (!hasher.verify(visit.password(), link.passwordHash())) {
      throw UnauthenticatedException.challenging(
          PASSWORD_CHALLENGE, "wrong-link-password", "The link's password is wrong.");
    }
    attempt.succeeded();
    return link;
  }

  private static String namespaceShown(Node node) {
    return node.isMount() ? node.mountNamespace() : node.namespaceId();
  }

  /**
   * What a link to {@code shown} points at: for a shared folder (a mount, anyone's), its
   * namespace's root, so every member's link to it is one link its owner lists and revokes.
   */
  private static Node linked(MetadataTransaction tx, Node shown) {
    return shown.isMount()
        ? tx.nodes().byId(tx.namespaces().rootId(shown.mountNamespace())).orElseThrow()
        : shown;
  }

  /**
   * The linked file or folder, while it exists, is not in the trash, is still in the namespace it
   * was linked in, and its maker may still share it (an editor whose role or right to share ended,
   * or who left, takes their links along).
   */
  private Node target(MetadataTransaction tx, Link link) {
    Node node =
        resolve(tx, link.nodeId())
            .filter(n -> n.namespaceId().equals(link.namespaceId()))
            .filter(n -> makerMayShare(tx, link, n))
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "link-not-found", "The linked file or folder no longer exists."));
    if (!node.isRoot()) {
      return node;
    }
    // A shared folder's root shows under the name its owner gives the folder.
    String name =
        tx.shares().members(node.namespaceId()).stream()
            .filter(m -> m.role() == coffer.core.model.Role.OWNER && m.mountId() != null)
            .findFirst()
            .flatMap(m -> tx.nodes().byId(m.mountId()))
            .map(Node::name)
            .orElse(node.name());
    return new Node(
        node.id(),
        node.namespaceId(),
        null,
        name,
        node.kind(),
        null,
        0,
        null,
        node.createdAt(),
        node.modifiedAt(),
        false);
  }

  private static boolean makerMayShare(MetadataTransaction tx, Link link, Node node) {
    return tx.users()
        .byId(link.createdBy())
        .map(
            u -> {
              try {
                ShareService.mayShare(tx, Principal.of(u), link.namespaceId(), node);
                return true;
              } catch (coffer.core.error.CofferException refused) {
                return false;
              }
            })
        .orElse(false);
  }

  /**
   * The node {@code id} names if it is {@code root} or lies under it, with its path inside the
   * link; {@code root} itself when {@code id} is null. Anything else is not found, so a folder link
   * never leads outside the folder.
   */
  private Located within(MetadataTransaction tx, Node root, String id) {
    String rootPath = root.isFolder() ? "/" : "/" + root.name();
    if (id == null || id.equals(root.id())) {
      return new Located(root, rootPath, null);
    }
    Node node = resolve(tx, id).orElseThrow(() -> notInLink("Nothing with that id in this link."));
    Deque<String> names = new ArrayDeque<>();
    for (Node up = node; !up.id().equals(root.id()); ) {
      names.push(up.name());
      if (up.parentId() == null) {
        throw notInLink("Nothing with that id in this link.");
      }
      up =
          resolve(tx, up.parentId())
              .orElseThrow(() -> notInLink("Nothing with that id in this link."));
    }
    String path = (rootPath.equals("/") ? "" : rootPath) + "/" + String.join("/", names);
    return new Located(node, path, node.parentId());
  }

  /**
   * The one way a visit finds a node by id: a live node, in whatever namespace. Whether the visit
   * may see it is for the caller to check ({@link #target}, {@link #within}).
   */
  private Optional<Node> resolve(MetadataTransaction tx, String id) {
    if (id == null || id.isEmpty() || id.indexOf('\u0000') >= 0) {
      // No id holds NUL, and PostgreSQL cannot even compare text that does.
      return Optional.empty();
    }
    return tx.nodes().byId(id).filter(n -> !n.deleted());
  }

  /** The one way a visit lists a folder: its live children, folders first, then by name. */
  private List<Node> childrenOf(MetadataTransaction tx, Node folder) {
    // Folders shared into the linked folder by others are theirs: a link never reaches into them.
    return tx.nodes().children(folder.namespaceId(), folder.id()).stream()
        .filter(n -> !n.isMount())
        .sorted(
            Comparator.comparing((Node n) -> !n.isFolder())
                .thenComparing(n -> NodeName.key(n.name()))
                .thenComparing(Node::name))
        .toList();
  }

  /** A node reached through a link: its path inside the link and its parent (null: the top). */
  private record Located(Node node, String path, String parentId) {}

  private static LinkedItem item(Located located) {
    Node node = located.node();
    return new LinkedItem(
        node.id(),
        node.kind().wire(),
        node.name(),
        located.path(),
        located.parentId(),
        node.size(),
        node.contentHash() == null ? null : node.contentHash().hex(),
        node.modifiedAt());
  }

  private static String childPath(String parentPath, String name) {
    return parentPath.equals("/") ? "/" + name : parentPath + "/" + name;
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What is stored of a token: its SHA-256. */
  public static Sha256 tokenHash(String token) {
    return Sha256.of(token.getBytes(StandardCharsets.UTF_8));
  }

  private static NotFoundException linkNotFound() {
    return new NotFoundException("link-not-found", "No such link, or it was revoked.");
  }

  private static NotFoundException notInLink(String message) {
    return new NotFoundException("not-found", message);
  }
}
