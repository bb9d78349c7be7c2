package coffer.core.sync;

import static java.util.Objects.requireNonNull;

import coffer.core.model.NodeKind;
import coffer.core.name.NodeName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * An immutable tree of {@link SyncItem}s under a root that is not itself an item. The lookups the
 * planner makes for every item (by id, children, by name key) are precomputed, so building a tree
 * and each lookup are linear and constant respectively; {@link #path} and {@link #isAncestor} walk
 * up to the root.
 *
 * <p>Names need not be unique per folder: a case-sensitive disk can hold {@code a.txt} and {@code
 * A.txt} side by side, and the synced tree may briefly record two items at one key. Where several
 * children share a key, {@link #childByKey} answers the first by name, then id.
 */
public final class SyncTree {

  private static final Comparator<SyncItem> BY_NAME_THEN_ID =
      Comparator.comparing(SyncItem::name).thenComparing(SyncItem::id);

  private final String rootId;
  private final Map<String, SyncItem> byId;
  private final Map<String, List<SyncItem>> childrenById;
  private final Map<Slot, List<SyncItem>> bySlot;
  private final List<List<SyncItem>> clashes;

  /**
   * Builds a tree.
   *
   * @param rootId the id of the root folder, which is not among {@code items}
   * @param items every item but the root; each one's parent is the root or a folder among them
   * @throws IllegalArgumentException if an id repeats or is the root's, a parent is missing or is a
   *     file, or the parent links form a cycle
   */
  public SyncTree(String rootId, Collection<SyncItem> items) {
    this.rootId = requireNonNull(rootId, "rootId is null");
    requireNonNull(items, "items is null");
    Map<String, SyncItem> ids = HashMap.newHashMap(items.size());
    for (SyncItem item : items) {
      requireNonNull(item, "an item is null");
      if (item.id().equals(rootId)) {
        throw new IllegalArgumentException("the root " + rootId + " cannot be an item");
      }
      if (ids.putIfAbsent(item.id(), item) != null) {
        throw new IllegalArgumentException("id " + item.id() + " occurs twice");
      }
    }
    Map<String, List<SyncItem>> children = new HashMap<>();
    Map<Slot, List<SyncItem>> slots = HashMap.newHashMap(ids.size());
    for (SyncItem item : ids.values()) {
      String parentId = item.parentId();
      if (!parentId.equals(rootId)) {
        SyncItem parent = ids.get(parentId);
        if (parent == null) {
          throw new IllegalArgumentException(
              "item " + item.id() + " is in " + parentId + ", which is not in the tree");
        }
        if (parent.kind() != NodeKind.FOLDER) {
          throw new IllegalArgumentException(
              "item " + item.id() + " is in " + parentId + ", which is a file");
        }
      }
      children.computeIfAbsent(parentId, k -> new ArrayList<>(4)).add(item);
      slots
          .computeIfAbsent(new Slot(parentId, NodeName.key(item.name())), k -> new ArrayList<>(1))
          .add(item);
    }
    List<List<SyncItem>> clashing = new ArrayList<>();
    for (List<SyncItem> list : children.values()) {
      list.sort(BY_NAME_THEN_ID);
    }
    for (List<SyncItem> list : slots.values()) {
      if (list.size() > 1) {
        list.sort(BY_NAME_THEN_ID);
        clashing.add(Collections.unmodifiableList(list));
      }
    }
    clashing.sort(Comparator.comparing(list -> list.getFirst().id()));
    this.byId = ids;
    this.childrenById = children;
    this.bySlot = slots;
    this.clashes = Collections.unmodifiableList(clashing);
    checkAcyclic();
  }

  /** The id of the root folder. */
  public String rootId() {
    return rootId;
  }

  /** The item with this id; empty for the root and for ids not in the tree. */
  public Optional<SyncItem> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Whether an item has this id; false for the root, which is not an item. */
  public boolean contains(String id) {
    return byId.containsKey(id);
  }

  /** The children of the root or of a folder, by name then id; empty for unknown ids. */
  public List<SyncItem> children(String id) {
    List<SyncItem> children = childrenById.get(id);
    return children == null ? List.of() : Collections.unmodifiableList(children);
  }

  /**
   * The child of {@code parentId} whose name has {@code nameKey} as its {@link NodeName#key key};
   * when several do (possible on a case-sensitive disk), the first by name then id.
   */
  public Optional<SyncItem> childByKey(String parentId, String nameKey) {
    List<SyncItem> found = bySlot.get(new Slot(parentId, nameKey));
    return found == null ? Optional.empty() : Optional.of(found.getFirst());
  }

  /**
   * The path of an item from the root, its names joined by {@code /}, such as {@code a/b/c}; the
   * empty string for the root.
   *
   * @throws NoSuchElementException if the id is neither the root nor in the tree
   */
  public String path(String id) {
    if (id.equals(rootId)) {
      return "";
    }
    List<String> names = new ArrayList<>();
    String at = id;
    while (!at.equals(rootId)) {
      SyncItem item = byId.get(at);
      if (item == null) {
        throw new NoSuchElementException("no item " + id + " in the tree");
      }
      names.add(item.name());
      at = item.parentId();
    }
    Collections.reverse(names);
    return String.join("/", names);
  }

  /**
   * Whether {@code ancestor} is a strict ancestor of {@code descendant}: the root is one of every
   * item, and nothing is an ancestor of itself or of an id not in the tree.
   */
  public boolean isAncestor(String ancestor, String descendant) {
    SyncItem item = byId.get(descendant);
    while (item != null) {
      if (item.parentId().equals(ancestor)) {
        return true;
      }
      item = byId.get(item.parentId());
    }
    return false;
  }

  /** Every item, in no particular order. */
  public Collection<SyncItem> items() {
    return Collections.unmodifiableCollection(byId.values());
  }

  /** The number of items, not counting the root. */
  public int size() {
    return byId.size();
  }

  /** This tree with {@code item} added, or replacing the item with its id. */
  public SyncTree with(SyncItem item) {
    Map<String, SyncItem> copy = new HashMap<>(byId);
    copy.put(item.id(), item);
    return new SyncTree(rootId, copy.values());
  }

  /** This tree without the item {@code id} and everything under it; unchanged if it is absent. */
  public SyncTree without(String id) {
    if (!byId.containsKey(id)) {
      return this;
    }
    Map<String, SyncItem> copy = new HashMap<>(byId);
    List<String> pending = new ArrayList<>(List.of(id));
    while (!pending.isEmpty()) {
      String next = pending.removeLast();
      copy.remove(next);
      for (SyncItem child : children(next)) {
        pending.add(child.id());
      }
    }
    return new SyncTree(rootId, copy.values());
  }

  /** The item with this id, or null; the planner's allocation-free form of {@link #get}. */
  SyncItem find(String id) {
    return byId.get(id);
  }

  /** Every child of {@code parentId} whose name key is {@code key}, by name then id. */
  List<SyncItem> allByKey(String parentId, String key) {
    List<SyncItem> found = bySlot.get(new Slot(parentId, key));
    return found == null ? List.of() : found;
  }

  /** The groups of two or more siblings that share a name key, each by name then id. */
  List<List<SyncItem>> clashes() {
    return clashes;
  }

  /** Every item with its descendants after it: a pre-order from the root. */
  List<SyncItem> preOrder() {
    List<SyncItem> order = new ArrayList<>(byId.size());
    List<SyncItem> pending = new ArrayList<>(children(rootId).reversed());
    while (!pending.isEmpty()) {
      SyncItem next = pending.removeLast();
      order.add(next);
      pending.addAll(children(next.id()).reversed());
    }
    return order;
  }

  private void checkAcyclic() {
    // Every item reached from the root by following children lists is on a finite path to it; an
    // item never reached sits on a cycle of parent links (or below one).
    if (preOrder().size() != byId.size()) {
      throw new IllegalArgumentException("the parent links of the tree form a cycle");
    }
  }
}
