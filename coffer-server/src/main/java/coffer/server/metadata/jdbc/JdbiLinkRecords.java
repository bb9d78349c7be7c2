package coffer.server.metadata.jdbc;

import coffer.core.hash.Sha256;
import coffer.core.model.Link;
import coffer.server.metadata.LinkRecords;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiLinkRecords implements LinkRecords {

  private static final String COLUMNS =
      "ns_id, id, node_id, created_by, created_at, expires_at, password_hash, revoked_at";

  private static final RowMapper<Link> LINK =
      (rs, ctx) ->
          new Link(
              rs.getString("id"),
              rs.getString("ns_id"),
              rs.getString("node_id"),
              rs.getString("created_by"),
              Rows.instant(rs, "created_at"),
              Rows.instant(rs, "expires_at"),
              rs.getString("password_hash"),
              Rows.instant(rs, "revoked_at"));

  private final Handle handle;

  JdbiLinkRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(Link link, Sha256 tokenHash) {
    JdbiMetadataStore.uniquely(
        () ->
            handle
                .createUpdate(
                    "INSERT INTO links (ns_id, id, node_id, token_hash, created_by, created_at,"
                        + " expires_at, password_hash, revoked_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, link.namespaceId())
                .bind(1, link.id())
                .bind(2, link.nodeId())
                .bind(3, tokenHash.hex())
                .bind(4, link.createdBy())
                .bind(5, Rows.millis(link.createdAt()))
                .bind(6, Rows.millis(link.expiresAt()))
                .bind(7, link.passwordHash())
                .bind(8, Rows.millis(link.revokedAt()))
                .execute(),
        "duplicate-link",
        "A link with this token or id exists already.");
  }

  @Override
  public Optional<Link> byTokenHash(Sha256 tokenHash) {
    return handle
        .createQuery("SELECT " + COLUMNS + " FROM links WHERE token_hash = ?")
        .bind(0, tokenHash.hex())
        .map(LINK)
        .findOne();
  }

  @Override
  public Optional<Link> byId(String linkId) {
    return handle
        .createQuery("SELECT " + COLUMNS + " FROM links WHERE id = ?")
        .bind(0, linkId)
        .map(LINK)
        .findOne();
  }

  @Override
  public List<Link> forNode(String namespaceId, String nodeId) {
    return handle
        .createQuery(
            "SELECT "
                + COLUMNS
                + " FROM links WHERE ns_id = ? AND node_id = ? ORDER BY created_at DESC, id")
        .bind(0, namespaceId)
        .bind(1, nodeId)
        .map(LINK)
        .list();
  }

  @Override
  public boolean revoke(String namespaceId, String linkId, Instant at) {
    return handle
            .createUpdate(
                "UPDATE links SET revoked_at = ? WHERE ns_id = ? AND id = ? AND revoked_at IS NULL")
            .bind(0, at.toEpochMilli())
            .bind(1, namespaceId)
            .bind(2, linkId)
            .execute()
        == 1;
  }

  @Override
  public int revokeMadeBy(String namespaceId, String userId, Instant at) {
    return handle
        .createUpdate(
            "UPDATE links SET revoked_at = ? WHERE ns_id = ? AND created_by = ?"
                + " AND revoked_at IS NULL")
        .bind(0, at.toEpochMilli())
        .bind(1, namespaceId)
        .bind(2, userId)
        .execute();
  }
}
