package coffer.core.sync;

import coffer.core.name.NodeName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A tree the simulation changes in place: the server's nodes, the disk's files, or the index. */
final class MutableTree {

  final String rootId;
  private final Map<String, SyncItem> items = new HashMap<>();
  private final Map<String, Set<String>> children = new HashMap<>();

  MutableTree(String rootId) {
    this.rootId = rootId;
  }

  MutableTree(SyncTree tree) {
    this(tree.rootId());
    for (SyncItem item : tree.preOrder()) {
      put(item);
    }
  }

  MutableTree copy() {
    return new MutableTree(snapshot());
  }

  SyncTree snapshot() {
    return new SyncTree(rootId, items.values());
  }

  SyncItem get(String id) {
    return items.get(id);
  }

  boolean contains(String id) {
    return items.containsKey(id);
  }

  boolean isFolder(String id) {
    return id.equals(rootId) || (items.containsKey(id) && items.get(id).isFolder());
  }

  Collection<SyncItem> items() {
    return List.copyOf(items.values());
  }

  int size() {
    return items.size();
  }

  List<SyncItem> children(String id) {
    List<SyncItem> list = new ArrayList<>();
    for (String child : children.getOrDefault(id, Set.of())) {
      list.add(items.get(child));
    }
    return list;
  }

  /** The children of {@code parentId} other than {@code except} whose name has this key. */
  List<SyncItem> sameKey(String parentId, String name, String except) {
    String key = NodeName.key(name);
    List<SyncItem> found = new ArrayList<>();
    for (SyncItem child : children(parentId)) {
      if (!child.id().equals(except) && NodeName.key(child.name()).equals(key)) {
        found.add(child);
      }
    }
    return found;
  }

  SyncItem childNamed(String parentId, String exactName) {
    for (SyncItem child : children(parentId)) {
      if (child.name().equals(exactName)) {
        return child;
      }
    }
    return null;
  }

  /** Adds the item, or replaces the one with its id (moving it if its parent changed). */
  void put(SyncItem item) {
    SyncItem old = items.put(item.id(), item);
    if (old != null) {
      children.get(old.parentId()).remove(old.id());
    }
    children.computeIfAbsent(item.parentId(), k -> new LinkedHashSet<>()).add(item.id());
  }

  /** Removes the item and its subtree; returns the removed ids. */
  List<String> removeSubtree(String id) {
    List<String> removed = subtree(id);
    SyncItem top = items.get(id);
    if (top != null) {
      children.get(top.parentId()).remove(id);
    }
    for (String gone : removed) {
      items.remove(gone);
      children.remove(gone);
    }
    return removed;
  }

  /** The id and every id under it, parents first; empty if it is absent. */
  List<String> subtree(String id) {
    List<String> ids = new ArrayList<>();
    if (!items.containsKey(id)) {
      return ids;
    }
    ids.add(id);
    for (int i = 0; i < ids.size(); i++) {
      ids.addAll(children.getOrDefault(ids.get(i), Set.of()));
    }
    return ids;
  }

  boolean isAncestor(String ancestor, String id) {
    SyncItem item = items.get(id);
    while (item != null) {
      if (item.parentId().equals(ancestor)) {
        return true;
      }
      item = items.get(item.parentId());
    }
    return false;
  }

  /** Gives the item {@code oldId} the id {@code newId}; its children follow. */
  void rekey(String oldId, String newId) {
    if (oldId.equals(newId)) {
      return;
    }
    SyncItem item = items.get(oldId);
    if (item == null) {
      return;
    }
    List<SyncItem> kids = children(oldId);
    removeOne(oldId);
    put(item.withId(newId));
    for (SyncItem kid : kids) {
      put(kid.withLocation(newId, kid.name()));
    }
    children.remove(oldId);
  }

  private void removeOne(String id) {
    SyncItem item = items.remove(id);
    children.get(item.parentId()).remove(id);
  }

  String path(String id) {
    return snapshotPath(id);
  }

  private String snapshotPath(String id) {
    List<String> names = new ArrayList<>();
    String at = id;
    while (!at.equals(rootId)) {
      SyncItem item = items.get(at);
      names.addFirst(item.name());
      at = item.parentId();
    }
    return String.join("/", names);
  }

  /** The id at an exact local path, the root for "", or null. */
  String resolve(String path) {
    String at = rootId;
    if (path.isEmpty()) {
      return at;
    }
    for (String name : path.split("/", -1)) {
      SyncItem child = childNamed(at, name);
      if (child == null) {
        return null;
      }
      at = child.id();
    }
    return at;
  }

  /** Path → "kind:content" for every item, by NFC path, leaving out the ids in {@code except}. */
  Map<String, String> contents(Set<String> except) {
    Map<String, String> map = new TreeMap<>();
    for (SyncItem item : items.values()) {
      if (except.contains(item.id())) {
        continue;
      }
      String path = Location.nfc(path(item.id()));
      map.put(path, item.isFolder() ? "folder" : "file:" + item.content());
    }
    return map;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (SyncItem item : snapshot().preOrder()) {
      out.append("  ")
          .append(path(item.id()))
          .append(item.isFolder() ? "/" : "")
          .append(" [")
          .append(item.id())
          .append(item.isFolder() ? "" : " " + item.content() + " " + item.revision())
          .append("]\n");
    }
    return out.toString();
  }
}
