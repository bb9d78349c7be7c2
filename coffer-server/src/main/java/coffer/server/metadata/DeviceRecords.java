package coffer.server.metadata;

import coffer.core.hash.Sha256;
import coffer.core.model.Device;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Signed-in devices. Only a hash of each bearer token is stored. */
public interface DeviceRecords {

  void insert(Device device, Sha256 tokenHash);

  /** The device a token belongs to, revoked or not; empty when the hash is unknown. */
  Optional<Device> byTokenHash(Sha256 tokenHash);

  /** A user's devices, newest first, revoked ones included. */
  List<Device> forUser(String userId);

  /** Revokes one of the user's devices; false when it is not theirs or already revoked. */
  boolean revoke(String userId, String deviceId, Instant at);

  /** Records the change-feed cursor the device presented at {@code at}. */
  void recordCursor(String deviceId, String cursor, Instant at);

  /** The cursor a device last presented, and when; empty before its first. */
  Optional<CursorPosition> cursor(String deviceId);

  /** A device's position in the change feed. */
  record CursorPosition(String cursor, Instant at) {}

  /** Records that the device was used at {@code at}. */
  void touch(String deviceId, Instant at);
}
