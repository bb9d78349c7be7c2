package coffer.core.name;

import coffer.core.error.BadRequestException;
import java.util.ArrayList;
import java.util.List;

/**
 * A slash-separated path inside a user's tree, such as {@code /Photos/2026/beach.jpg}. Every
 * segment is a valid {@link NodeName}; {@code .} and {@code ..} are refused rather than resolved,
 * so a path can never climb out of the tree it names.
 *
 * @param names the segments from the root down; empty for the root itself
 */
public record RemotePath(List<NodeName> names) {

  public static final RemotePath ROOT = new RemotePath(List.of());

  public RemotePath {
    names = List.copyOf(names);
  }

  /** Parses {@code /a/b}, {@code a/b} or {@code /}; repeated and trailing slashes are ignored. */
  public static RemotePath parse(String path) {
    if (path == null) {
      throw new BadRequestException("invalid-path", "A path is required.");
    }
    List<NodeName> names = new ArrayList<>();
    for (String segment : path.split("/", -1)) {
      if (!segment.isEmpty()) {
        names.add(NodeName.of(segment));
      }
    }
    return new RemotePath(names);
  }

  public boolean isRoot() {
    return names.isEmpty();
  }

  /** The last segment; fails on the root. */
  public NodeName name() {
    if (isRoot()) {
      throw new BadRequestException("invalid-path", "The root folder has no name.");
    }
    return names.getLast();
  }

  /** The folder that holds this path; the root's parent is the root. */
  public RemotePath parent() {
    return isRoot() ? this : new RemotePath(names.subList(0, names.size() - 1));
  }

  public RemotePath resolve(NodeName child) {
    List<NodeName> longer = new ArrayList<>(names);
    longer.add(child);
    return new RemotePath(longer);
  }

  @Override
  public String toString() {
    if (isRoot()) {
      return "/";
    }
    StringBuilder out = new StringBuilder();
    for (NodeName name : names) {
      out.append('/').append(name.value());
    }
    return out.toString();
  }
}
