package coffer.server.metadata.jdbc;

import coffer.core.model.Role;
import coffer.server.metadata.ShareRecords;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiShareRecords implements ShareRecords {

  private static final RowMapper<Member> MEMBER =
      (rs, ctx) ->
          new Member(
              rs.getString("ns_id"),
              rs.getString("user_id"),
              Role.parse(rs.getString("role")),
              rs.getString("mount_id"),
              rs.getString("added_by"),
              Rows.instant(rs, "created_at"));

  private static final RowMapper<SharedFile> FILE =
      (rs, ctx) ->
          new SharedFile(
              rs.getString("user_id"),
              rs.getString("node_id"),
              rs.getString("ns_id"),
              Role.parse(rs.getString("role")),
              rs.getString("added_by"),
              Rows.instant(rs, "created_at"));

  private final Handle handle;

  JdbiShareRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void putMember(Member m) {
    handle
        .createUpdate(
            "INSERT INTO members (ns_id, user_id, role, mount_id, added_by, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ns_id, user_id)"
                + " DO UPDATE SET role = excluded.role, mount_id = excluded.mount_id")
        .bind(0, m.namespaceId())
        .bind(1, m.userId())
        .bind(2, m.role().wire())
        .bind(3, m.mountId())
        .bind(4, m.addedBy())
        .bind(5, Rows.millis(m.createdAt()))
        .execute();
  }

  @Override
  public Optional<Member> member(String namespaceId, String userId) {
    return handle
        .createQuery("SELECT * FROM members WHERE ns_id = ? AND user_id = ?")
        .bind(0, namespaceId)
        .bind(1, userId)
        .map(MEMBER)
        .findOne();
  }

  @Override
  public List<Member> members(String namespaceId) {
    return handle
        .createQuery("SELECT * FROM members WHERE ns_id = ? ORDER BY created_at, user_id")
        .bind(0, namespaceId)
        .map(MEMBER)
        .list();
  }

  @Override
  public List<Member> memberships(String userId) {
    return handle
        .createQuery("SELECT * FROM members WHERE user_id = ? ORDER BY created_at, ns_id")
        .bind(0, userId)
        .map(MEMBER)
        .list();
  }

  @Override
  public boolean removeMember(String namespaceId, String userId) {
    return handle
            .createUpdate("DELETE FROM members WHERE ns_id = ? AND user_id = ?")
            .bind(0, namespaceId)
            .bind(1, userId)
            .execute()
        > 0;
  }

  @Override
  public void putFile(SharedFile f) {
    handle
        .createUpdate(
            "INSERT INTO shared_files (user_id, node_id, ns_id, role, added_by, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, node_id)"
                + " DO UPDATE SET role = excluded.role, ns_id = excluded.ns_id")
        .bind(0, f.userId())
        .bind(1, f.nodeId())
        .bind(2, f.namespaceId())
        .bind(3, f.role().wire())
        .bind(4, f.addedBy())
        .bind(5, Rows.millis(f.createdAt()))
        .execute();
  }

  @Override
  public Optional<SharedFile> file(String userId, String nodeId) {
    return handle
        .createQuery("SELECT * FROM shared_files WHERE user_id = ? AND node_id = ?")
        .bind(0, userId)
        .bind(1, nodeId)
        .map(FILE)
        .findOne();
  }

  @Override
  public List<SharedFile> fileShares(String nodeId) {
    return handle
        .createQuery("SELECT * FROM shared_files WHERE node_id = ? ORDER BY created_at, user_id")
        .bind(0, nodeId)
        .map(FILE)
        .list();
  }

  @Override
  public List<SharedFile> filesSharedWith(String userId) {
    return handle
        .createQuery(
            "SELECT * FROM shared_files WHERE user_id = ? ORDER BY created_at DESC, node_id")
        .bind(0, userId)
        .map(FILE)
        .list();
  }

  @Override
  public boolean removeFile(String userId, String nodeId) {
    return handle
            .createUpdate("DELETE FROM shared_files WHERE user_id = ? AND node_id = ?")
            .bind(0, userId)
            .bind(1, nodeId)
            .execute()
        > 0;
  }
}
