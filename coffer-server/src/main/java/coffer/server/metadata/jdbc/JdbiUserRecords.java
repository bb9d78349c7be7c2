package coffer.server.metadata.jdbc;

import coffer.core.model.User;
import coffer.core.name.NodeName;
import coffer.server.metadata.UserRecords;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiUserRecords implements UserRecords {

  private static final RowMapper<User> USER =
      (rs, ctx) ->
          new User(
              rs.getString("id"),
              rs.getString("username"),
              rs.getString("password_hash"),
              rs.getInt("admin") != 0,
              rs.getString("home_ns"),
              Rows.instant(rs, "created_at"));

  private final Handle handle;
  private final boolean postgres;

  JdbiUserRecords(Handle handle, boolean postgres) {
    this.handle = handle;
    this.postgres = postgres;
  }

  @Override
  public void insert(User user) {
    JdbiMetadataStore.uniquely(
        () ->
            handle
                .createUpdate(
                    "INSERT INTO users (id, username, username_key, password_hash, admin, home_ns,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(0, user.id())
                .bind(1, user.username())
                .bind(2, NodeName.key(user.username()))
                .bind(3, user.passwordHash())
                .bind(4, user.admin() ? 1 : 0)
                .bind(5, user.homeNamespace())
                .bind(6, Rows.millis(user.createdAt()))
                .execute(),
        "username-taken",
        "The username '" + user.username() + "' is taken.");
  }

  @Override
  public Optional<User> byUsername(String username) {
    return handle
        .createQuery("SELECT * FROM users WHERE username_key = ?")
        .bind(0, NodeName.key(username))
        .map(USER)
        .findOne();
  }

  @Override
  public Optional<User> byId(String id) {
    return handle.createQuery("SELECT * FROM users WHERE id = ?").bind(0, id).map(USER).findOne();
  }

  @Override
  public java.util.List<User> list(String after, int limit) {
    return handle
        .createQuery("SELECT * FROM users WHERE username_key > ? ORDER BY username_key LIMIT ?")
        .bind(0, after == null ? "" : NodeName.key(after))
        .bind(1, limit)
        .map(USER)
        .list();
  }

  @Override
  public Optional<Long> quota(String userId) {
    return handle
        // On PostgreSQL the row stays locked to the end of the transaction, so two commits for
        // one owner add up their usage one after the other; SQLite serializes writers anyway.
        // NO KEY UPDATE: it still serializes these checks, but not against the share locks that
        // foreign keys to the user (chunk grants) take, which would deadlock with them.
        .createQuery(
            "SELECT quota_bytes FROM users WHERE id = ?" + (postgres ? " FOR NO KEY UPDATE" : ""))
        .bind(0, userId)
        .mapTo(Long.class)
        .findOne();
  }

  @Override
  public void setPasswordHash(String userId, String passwordHash) {
    handle
        .createUpdate("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(0, passwordHash)
        .bind(1, userId)
        .execute();
  }

  @Override
  public void setQuota(String userId, Long bytes) {
    handle
        .createUpdate("UPDATE users SET quota_bytes = ? WHERE id = ?")
        .bind(0, bytes)
        .bind(1, userId)
        .execute();
  }

  @Override
  public long usedBytes(String userId) {
    return handle
        .createQuery(
            "SELECT COALESCE(SUM(n.size), 0) FROM nodes n"
                + " WHERE n.ns_id IN (SELECT id FROM namespaces WHERE owner_id = ?)"
                + " AND n.deleted = 0 AND n.kind = 'file'")
        .bind(0, userId)
        .mapTo(Long.class)
        .one();
  }

  @Override
  public long count() {
    return handle.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one();
  }
}
