package coffer.server.metadata;

import coffer.core.model.Node;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One transaction's {@link NodeRecords} that remembers the nodes it has read by id, so walking up a
 * path (every access check and every journal entry does) reads each folder once per transaction
 * instead of once per file. Only for a transaction that no other writer can change under it: the
 * memory is of this transaction's own view. A write to one node forgets that node; a write that may
 * touch many (a subtree, a move between namespaces) forgets everything, and so does {@link
 * #forget()}, which a rolled-back savepoint calls.
 */
public final class RememberingNodeRecords implements NodeRecords {
  /** Past this many nodes the memory starts over, so one huge transaction stays bounded. */
  private static final int MAX_REMEMBERED = 50_000;

  private final NodeRecords records;
  private final Map<String, Node> byId = new HashMap<>();

  public RememberingNodeRecords(NodeRecords records) {
    this.records = records;
  }

  /** Forgets every node read so far: the next read of each goes to the records again. */
  public void forget() {
    byId.clear();
  }

  private Node remember(Node node) {
    if (byId.size() >= MAX_REMEMBERED) {
      byId.clear();
    }
    byId.put(node.id(), node);
    return node;
  }

  private List<Node> rememberAll(List<Node> nodes) {
    nodes.forEach(this::remember);
    return nodes;
  }

  @Override
  public Optional<Node> byId(String id) {
    Node known = byId.get(id);
    return known != null ? Optional.of(known) : records.byId(id).map(this::remember);
  }

  @Override
  public Optional<Node> child(String namespaceId, String parentId, String nameKey) {
    return records.child(namespaceId, parentId, nameKey).map(this::remember);
  }

  @Override
  public List<Node> children(String namespaceId, String parentId) {
    return rememberAll(records.children(namespaceId, parentId));
  }

  @Override
  public List<Node> liveAfter(String namespaceId, String afterId, int limit) {
    return rememberAll(records.liveAfter(namespaceId, afterId, limit));
  }

  @Override
  public void insert(Node node, String nameKey) {
    byId.remove(node.id());
    records.insert(node, nameKey);
  }

  @Override
  public void update(Node node, String nameKey) {
    byId.remove(node.id());
    records.update(node, nameKey);
  }

  @Override
  public List<String> subtreeIds(String namespaceId, String nodeId) {
    return records.subtreeIds(namespaceId, nodeId);
  }

  @Override
  public List<Trashed> trashed(String namespaceId) {
    return records.trashed(namespaceId);
  }

  @Override
  public List<Trashed> trashedBefore(Instant cutoff, int limit) {
    return records.trashedBefore(cutoff, limit);
  }

  @Override
  public boolean hasMountIn(String namespaceId, String nodeId) {
    return records.hasMountIn(namespaceId, nodeId);
  }

  @Override
  public void restore(
      String namespaceId,
      String nodeId,
      Instant deletedAt,
      String parentId,
      String name,
      String nameKey) {
    forget();
    records.restore(namespaceId, nodeId, deletedAt, parentId, name, nameKey);
  }

  @Override
  public int purge(String namespaceId, String nodeId) {
    forget();
    return records.purge(namespaceId, nodeId);
  }

  @Override
  public List<String> moveToNamespace(
      String fromNamespace, String nodeId, String toNamespace, boolean withNode) {
    forget();
    return records.moveToNamespace(fromNamespace, nodeId, toNamespace, withNode);
  }

  @Override
  public void reparentChildren(String namespaceId, String fromParentId, String toParentId) {
    forget();
    records.reparentChildren(namespaceId, fromParentId, toParentId);
  }

  @Override
  public void setMount(String nodeId, String mountNamespace) {
    forget();
    records.setMount(nodeId, mountNamespace);
  }

  @Override
  public void removeMount(String nodeId) {
    forget();
    records.removeMount(nodeId);
  }

  @Override
  public int trash(String namespaceId, String nodeId, Instant at) {
    forget();
    return records.trash(namespaceId, nodeId, at);
  }
}
