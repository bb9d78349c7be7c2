package coffer.server.metadata.jdbc;

import coffer.core.hash.Sha256;
import coffer.core.model.Device;
import coffer.server.metadata.DeviceRecords;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiDeviceRecords implements DeviceRecords {

  private static final RowMapper<Device> DEVICE =
      (rs, ctx) ->
          new Device(
              rs.getString("id"),
              rs.getString("user_id"),
              rs.getString("name"),
              Rows.instant(rs, "created_at"),
              Rows.instant(rs, "last_used_at"),
              Rows.instant(rs, "revoked_at"));

  private final Handle handle;

  JdbiDeviceRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void insert(Device device, Sha256 tokenHash) {
    handle
        .createUpdate(
            "INSERT INTO devices (id, user_id, name, token_hash, created_at, last_used_at,"
                + " revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(0, device.id())
        .bind(1, device.userId())
        .bind(2, device.name())
        .bind(3, tokenHash.hex())
        .bind(4, Rows.millis(device.createdAt()))
        .bind(5, Rows.millis(device.lastUsedAt()))
        .bind(6, Rows.millis(device.revokedAt()))
        .execute();
  }

  @Override
  public Optional<Device> byTokenHash(Sha256 tokenHash) {
    return handle
        .createQuery("SELECT * FROM devices WHERE token_hash = ?")
        .bind(0, tokenHash.hex())
        .map(DEVICE)
        .findOne();
  }

  @Override
  public List<Device> forUser(String userId) {
    return handle
        .createQuery("SELECT * FROM devices WHERE user_id = ? ORDER BY created_at DESC, id")
        .bind(0, userId)
        .map(DEVICE)
        .list();
  }

  @Override
  public boolean revoke(String userId, String deviceId, Instant at) {
    return handle
            .createUpdate(
                "UPDATE devices SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS"
                    + " NULL")
            .bind(0, at.toEpochMilli())
            .bind(1, deviceId)
            .bind(2, userId)
            .execute()
        == 1;
  }

  @Override
  public void recordCursor(String deviceId, String cursor, Instant at) {
    handle
        .createUpdate("UPDATE devices SET cursor = ?, cursor_at = ? WHERE id = ?")
        .bind(0, cursor)
        .bind(1, at.toEpochMilli())
        .bind(2, deviceId)
        .execute();
  }

  @Override
  public Optional<CursorPosition> cursor(String deviceId) {
    return handle
        .createQuery("SELECT cursor, cursor_at FROM devices WHERE id = ? AND cursor IS NOT NULL")
        .bind(0, deviceId)
        .map((rs, ctx) -> new CursorPosition(rs.getString("cursor"), Rows.instant(rs, "cursor_at")))
        .findOne();
  }

  @Override
  public void touch(String deviceId, Instant at) {
    handle
        .createUpdate("UPDATE devices SET last_used_at = ? WHERE id = ?")
        .bind(0, at.toEpochMilli())
        .bind(1, deviceId)
        .execute();
  }
}
