package coffer.server.sync;

import coffer.core.api.DeviceInfo;
import coffer.server.auth.Principal;
import coffer.server.files.Access;
import coffer.server.metadata.DeviceRecords.CursorPosition;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataTransaction;
import java.util.List;

/**
 * A user's devices with where each stands in the change feed: when it last read it and how many
 * changes it has not read yet, so a user can tell a device that stopped syncing.
 */
public final class DeviceService {

  private final MetadataStore store;

  public DeviceService(MetadataStore store) {
    this.store = store;
  }

  /** The caller's devices that are signed in, newest first. */
  public List<DeviceInfo> devices(Principal p) {
    return store.read(
        tx ->
            tx.devices().forUser(p.userId()).stream()
                .filter(d -> !d.revoked())
                .map(
                    d -> {
                      CursorPosition position = tx.devices().cursor(d.id()).orElse(null);
                      return new DeviceInfo(
                          d.id(),
                          d.name(),
                          d.createdAt(),
                          d.lastUsedAt(),
                          d.id().equals(p.deviceId()),
                          position == null ? null : position.at(),
                          position == null ? null : behind(tx, p, position.cursor()));
                    })
                .toList());
  }

  private static Long behind(MetadataTransaction tx, Principal p, String token) {
    Cursor cursor;
    try {
      cursor = Cursor.decode(token);
    } catch (RuntimeException e) {
      return null;
    }
    long behind = 0;
    boolean unknown = false;
    for (Access.Grant grant : Access.namespaces(tx, p)) {
      String ns = grant.namespaceId();
      long last = tx.namespaces().lastSeq(ns);
      behind += Math.max(0, last - cursor.position(ns));
      unknown |= !cursor.knows(ns);
    }
    if (cursor.inSnapshot() || unknown) {
      behind += 1; // still reading the snapshot: not up to date, however few changes came since
    }
    return behind;
  }
}
