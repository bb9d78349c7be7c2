package coffer.server.metadata.jdbc;

import coffer.core.model.Node;
import coffer.core.model.NodeKind;
import coffer.server.metadata.NodeRecords;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiNodeRecords implements NodeRecords {

  /**
   * A node (:id) and everything ever under it in namespace :ns, deleted or not, as the common table
   * {@code subtree(id)}.
   */
  static final String SUBTREE =
      "WITH RECURSIVE subtree(id) AS ("
          + " SELECT id FROM nodes WHERE ns_id = :ns AND id = :id"
          + " UNION ALL"
          + " SELECT n.id FROM nodes n JOIN subtree s ON n.parent_id = s.id WHERE n.ns_id = :ns)";

  private static final RowMapper<Node> NODE =
      (rs, ctx) ->
          new Node(
              rs.getString("id"),
              rs.getString("ns_id"),
              rs.getString("parent_id"),
              rs.getString("name"),
              NodeKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
              rs.getString("rev_id"),
              rs.getLong("size"),
              Rows.hash(rs, "content_hash"),
              Rows.instant(rs, "created_at"),
              Rows.instant(rs, "modified_at"),
              rs.getInt("deleted") != 0,
              rs.getString("mount_ns"));

  private final Handle handle;

  JdbiNodeRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(Node node, String nameKey) {
    JdbiMetadataStore.uniquely(
        () ->
            handle
                .createUpdate(
                    "INSERT INTO nodes (ns_id, id, parent_id, name, name_key, kind, rev_id, size,"
                        + " content_hash, created_at, modified_at, deleted, deleted_at, mount_ns)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, node.namespaceId())
                .bind(1, node.id())
                .bind(2, node.parentId())
                .bind(3, node.name())
                .bind(4, nameKey)
                .bind(5, node.kind().wire())
                .bind(6, node.revisionId())
                .bind(7, node.size())
                .bind(8, Rows.hex(node.contentHash()))
                .bind(9, Rows.millis(node.createdAt()))
                .bind(10, Rows.millis(node.modifiedAt()))
                .bind(11, node.deleted() ? 1 : 0)
                .bind(12, node.deleted() ? Rows.millis(node.modifiedAt()) : null)
                .bind(13, node.mountNamespace())
                .execute(),
        "name-taken",
        "Something named '" + node.name() + "' already exists in that folder.");
  }

  @Override
  public Optional<Node> byId(String id) {
    return handle.createQuery("SELECT * FROM nodes WHERE id = ?").bind(0, id).map(NODE).findOne();
  }

  @Override
  public Optional<Node> child(String namespaceId, String parentId, String nameKey) {
    return handle
        .createQuery(
            "SELECT * FROM nodes WHERE ns_id = ? AND parent_id = ? AND name_key = ? AND deleted = 0")
        .bind(0, namespaceId)
        .bind(1, parentId)
        .bind(2, nameKey)
        .map(NODE)
        .findOne();
  }

  @Override
  public List<Node> children(String namespaceId, String parentId) {
    return handle
        .createQuery("SELECT * FROM nodes WHERE ns_id = ? AND parent_id = ? AND deleted = 0")
        .bind(0, namespaceId)
        .bind(1, parentId)
        .map(NODE)
        .list();
  }

  @Override
  public void update(Node node, String nameKey) {
    JdbiMetadataStore.uniquely(
        () ->
            handle
                .createUpdate(
                    "UPDATE nodes SET parent_id = ?, name = ?, name_key = ?, rev_id = ?, size = ?,"
                        + " content_hash = ?, modified_at = ?, deleted = ? WHERE id = ?")
                .bind(0, node.parentId())
                .bind(1, node.name())
                .bind(2, nameKey)
                .bind(3, node.revisionId())
                .bind(4, node.size())
                .bind(5, Rows.hex(node.contentHash()))
                .bind(6, Rows.millis(node.modifiedAt()))
                .bind(7, node.deleted() ? 1 : 0)
                .bind(8, node.id())
                .execute(),
        "name-taken",
        "Something named '" + node.name() + "' already exists in that folder.");
  }

  @Override
  public List<Node> liveAfter(String namespaceId, String afterId, int limit) {
    return handle
        .createQuery(
            "SELECT * FROM nodes WHERE ns_id = ? AND id > ? AND deleted = 0 ORDER BY id LIMIT ?")
        .bind(0, namespaceId)
        .bind(1, afterId)
        .bind(2, limit)
        .map(NODE)
        .list();
  }

  @Override
  public List<String> subtreeIds(String namespaceId, String nodeId) {
    return handle
        .createQuery(SUBTREE + " SELECT id FROM subtree")
        .bind("ns", namespaceId)
        .bind("id", nodeId)
        .mapTo(String.class)
        .list();
  }

  @Override
  public List<Trashed> trashed(String namespaceId) {
    return handle
        .createQuery(
            "SELECT n.*, n.deleted_at AS trashed_at FROM nodes n LEFT JOIN nodes p ON p.id = n.parent_id"
                + " WHERE n.ns_id = ? AND n.deleted = 1"
                + " AND (p.id IS NULL OR p.deleted = 0 OR p.deleted_at <> n.deleted_at)"
                + " ORDER BY n.deleted_at DESC, n.id")
        .bind(0, namespaceId)
        .map((rs, ctx) -> new Trashed(NODE.map(rs, ctx), Rows.instant(rs, "trashed_at")))
        .list();
  }

  @Override
  public List<Trashed> trashedBefore(Instant cutoff, int limit) {
    return handle
        .createQuery(
            "SELECT n.*, n.deleted_at AS trashed_at FROM nodes n LEFT JOIN nodes p ON p.id = n.parent_id"
                + " WHERE n.deleted = 1 AND n.deleted_at < ?"
                + " AND (p.id IS NULL OR p.deleted = 0 OR p.deleted_at <> n.deleted_at)"
                + " ORDER BY n.deleted_at, n.id LIMIT ?")
        .bind(0, cutoff.toEpochMilli())
        .bind(1, limit)
        .map((rs, ctx) -> new Trashed(NODE.map(rs, ctx), Rows.instant(rs, "trashed_at")))
        .list();
  }

  @Override
  public void restore(
      String namespaceId,
      String nodeId,
      Instant deletedAt,
      String parentId,
      String name,
      String nameKey) {
    JdbiMetadataStore.uniquely(
        () ->
            handle
                .createUpdate(
                    "UPDATE nodes SET deleted = 0, deleted_at = NULL, parent_id = ?, name = ?,"
                        + " name_key = ? WHERE ns_id = ? AND id = ?")
                .bind(0, parentId)
                .bind(1, name)
                .bind(2, nameKey)
                .bind(3, namespaceId)
                .bind(4, nodeId)
                .execute(),
        "name-taken",
        "Something named '" + name + "' already exists in that folder.");
    handle
        .createUpdate(
            "WITH RECURSIVE subtree(id) AS ("
                + " SELECT id FROM nodes WHERE ns_id = :ns AND parent_id = :id"
                + " UNION ALL"
                + " SELECT n.id FROM nodes n JOIN subtree s ON n.parent_id = s.id WHERE n.ns_id = :ns)"
                + " UPDATE nodes SET deleted = 0, deleted_at = NULL"
                + " WHERE ns_id = :ns AND deleted = 1 AND deleted_at = :at"
                + " AND id IN (SELECT id FROM subtree)")
        .bind("ns", namespaceId)
        .bind("id", nodeId)
        .bind("at", deletedAt.toEpochMilli())
        .execute();
  }

  @Override
  public int purge(String namespaceId, String nodeId) {
    List<String> ids = subtreeIds(namespaceId, nodeId);
    if (ids.isEmpty()) {
      return 0;
    }
    handle
        .createUpdate(
            "DELETE FROM revision_chunks WHERE rev_id IN"
                + " (SELECT id FROM revisions WHERE ns_id = :ns AND node_id IN (<ids>))")
        .bind("ns", namespaceId)
        .bindList("ids", ids)
        .execute();
    handle
        .createUpdate("DELETE FROM revisions WHERE ns_id = :ns AND node_id IN (<ids>)")
        .bind("ns", namespaceId)
        .bindList("ids", ids)
        .execute();
    return handle
        .createUpdate("DELETE FROM nodes WHERE ns_id = :ns AND deleted = 1 AND id IN (<ids>)")
        .bind("ns", namespaceId)
        .bindList("ids", ids)
        .execute();
  }

  @Override
  public List<String> moveToNamespace(
      String fromNamespace, String nodeId, String toNamespace, boolean withNode) {
    // Live nodes only: what is in the trash stays in the namespace it was deleted from.
    List<String> ids =
        new java.util.ArrayList<>(
            handle
                .createQuery(
                    "WITH RECURSIVE live(id) AS ("
                        + " SELECT id FROM nodes WHERE ns_id = :ns AND id = :id AND deleted = 0"
                        + " UNION ALL"
                        + " SELECT n.id FROM nodes n JOIN live l ON n.parent_id = l.id"
                        + " WHERE n.ns_id = :ns AND n.deleted = 0)"
                        + " SELECT id FROM live")
                .bind("ns", fromNamespace)
                .bind("id", nodeId)
                .mapTo(String.class)
                .list());
    if (!withNode) {
      ids.remove(nodeId);
    }
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> part = ids.subList(from, Math.min(ids.size(), from + 500));
      handle
          .createUpdate("UPDATE nodes SET ns_id = :to WHERE ns_id = :from AND id IN (<ids>)")
          .bind("to", toNamespace)
          .bind("from", fromNamespace)
          .bindList("ids", part)
          .execute();
      handle
          .createUpdate(
              "UPDATE revisions SET ns_id = :to WHERE ns_id = :from AND node_id IN (<ids>)")
          .bind("to", toNamespace)
          .bind("from", fromNamespace)
          .bindList("ids", part)
          .execute();
    }
    return ids;
  }

  @Override
  public void reparentChildren(String namespaceId, String fromParentId, String toParentId) {
    handle
        .createUpdate("UPDATE nodes SET parent_id = ? WHERE ns_id = ? AND parent_id = ?")
        .bind(0, toParentId)
        .bind(1, namespaceId)
        .bind(2, fromParentId)
        .execute();
  }

  @Override
  public void setMount(String nodeId, String mountNamespace) {
    handle
        .createUpdate("UPDATE nodes SET mount_ns = ? WHERE id = ?")
        .bind(0, mountNamespace)
        .bind(1, nodeId)
        .execute();
  }

  @Override
  public boolean hasMountIn(String namespaceId, String nodeId) {
    return handle
            .createQuery(
                SUBTREE
                    + " SELECT COUNT(*) FROM nodes WHERE ns_id = :ns AND mount_ns IS NOT NULL"
                    + " AND id IN (SELECT id FROM subtree)")
            .bind("ns", namespaceId)
            .bind("id", nodeId)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  @Override
  public void removeMount(String nodeId) {
    handle
        .createUpdate("DELETE FROM nodes WHERE id = ? AND mount_ns IS NOT NULL")
        .bind(0, nodeId)
        .execute();
  }

  @Override
  public int trash(String namespaceId, String nodeId, Instant at) {
    return handle
        .createUpdate(
            "WITH RECURSIVE subtree(id) AS ("
                + " SELECT id FROM nodes WHERE ns_id = :ns AND id = :id AND deleted = 0"
                + " UNION ALL"
                + " SELECT n.id FROM nodes n JOIN subtree s ON n.parent_id = s.id"
                + " WHERE n.ns_id = :ns AND n.deleted = 0)"
                + " UPDATE nodes SET deleted = 1, deleted_at = :at"
                + " WHERE ns_id = :ns AND id IN (SELECT id FROM subtree)")
        .bind("ns", namespaceId)
        .bind("id", nodeId)
        .bind("at", at.toEpochMilli())
        .execute();
  }
}
