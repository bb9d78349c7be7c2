package coffer.server.sync;

import coffer.core.error.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a device is in the change feed: the history (epoch) it was read from; for each namespace it
 * has caught up with, the last sequence number it has seen; and, while one namespace's snapshot is
 * being paged, that namespace and the node id after which the snapshot resumes. A namespace the
 * caller sees but the cursor does not name (newly shared with them) is snapshotted next. Opaque to
 * clients: base64url text they store and send back.
 *
 * @param epoch the server history the positions belong to; null in cursors made before epochs
 */
record Cursor(
    String epoch, Map<String, Long> positions, String snapshotNamespace, String snapshotAfter) {

  private static final String VERSION = "c3";

  /** The second version: no epoch. */
  private static final String VERSION_2 = "c2";

  /** The first version: one namespace, whose snapshot may be in progress. */
  private static final String VERSION_1 = "c1";

  Cursor {
    positions = Map.copyOf(positions);
    if ((snapshotNamespace == null) != (snapshotAfter == null)) {
      throw new IllegalArgumentException("a snapshot needs both its namespace and its position");
    }
  }

  static Cursor start() {
    return new Cursor(null, Map.of(), null, null);
  }

  /** Whether this cursor may be read against the history {@code currentEpoch}. */
  boolean from(String currentEpoch) {
    return epoch == null || epoch.equals(currentEpoch);
  }

  boolean inSnapshot() {
    return snapshotNamespace != null;
  }

  long position(String namespaceId) {
    return positions.getOrDefault(namespaceId, 0L);
  }

  boolean knows(String namespaceId) {
    return positions.containsKey(namespaceId);
  }

  String encode() {
    if (epoch == null) {
      throw new IllegalStateException("a cursor handed out names its epoch");
    }
    StringBuilder text = new StringBuilder(VERSION).append('|').append(epoch).append('|');
    text.append(inSnapshot() ? "s" + snapshotNamespace + ":" + snapshotAfter : "-").append('|');
    new TreeMap<>(positions)
        .forEach((ns, seq) -> text.append(ns).append('=').append(seq).append(','));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Parses a cursor from a client; anything malformed is a 400, never a guess. */
  static Cursor decode(String token) {
    try {
      String text =
          new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8);
      String[] parts = text.split("\\|", -1);
      String epoch = null;
      if (parts.length == 4 && parts[0].equals(VERSION) && !parts[1].isEmpty()) {
        epoch = parts[1];
        parts = new String[] {VERSION_2, parts[2], parts[3]};
      }
      if (parts.length != 3 || !(parts[0].equals(VERSION_2) || parts[0].equals(VERSION_1))) {
        throw invalid();
      }
      Map<String, Long> positions = new TreeMap<>();
      for (String pair : parts[2].split(",")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        long seq = Long.parseLong(pair.substring(eq + 1));
        if (eq <= 0 || seq < 0) {
          throw invalid();
        }
        positions.put(pair.substring(0, eq), seq);
      }
      if (parts[1].equals("-")) {
        return new Cursor(epoch, positions, null, null);
      }
      if (!parts[1].startsWith("s")) {
        throw invalid();
      }
      String snapshot = parts[1].substring(1);
      if (parts[0].equals(VERSION_1)) {
        // The first version snapshotted its only namespace.
        if (positions.size() != 1) {
          throw invalid();
        }
        return new Cursor(epoch, positions, positions.keySet().iterator().next(), snapshot);
      }
      int colon = snapshot.indexOf(':');
      if (colon <= 0) {
        throw invalid();
      }
      return new Cursor(
          epoch, positions, snapshot.substring(0, colon), snapshot.substring(colon + 1));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw invalid();
    }
  }

  /** The cursor is from another history of this server's data (it was restored from a backup). */
  static BadRequestException otherHistory() {
    return new BadRequestException(
        "invalid-cursor",
        "The cursor belongs to another history of this server's data (it was restored from a"
            + " backup); start again without one.");
  }

  private static BadRequestException invalid() {
    return new BadRequestException(
        "invalid-cursor", "The cursor is not one this server issued; start again without one.");
  }
}
