package coffer.server.sync;

import coffer.core.error.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a device is in the change feed: for each namespace, the last sequence number it has seen;
 * and, while the initial snapshot is still being paged, the id after which the snapshot resumes.
 * Opaque to clients: base64url text they store and send back.
 */
record Cursor(Map<String, Long> positions, String snapshotAfter) {

  private static final String VERSION = "c1";

  Cursor {
    positions = Map.copyOf(positions);
  }

  boolean inSnapshot() {
    return snapshotAfter != null;
  }

  long position(String namespaceId) {
    return positions.getOrDefault(namespaceId, 0L);
  }

  String encode() {
    StringBuilder text = new StringBuilder(VERSION).append('|');
    text.append(snapshotAfter == null ? "-" : "s" + snapshotAfter).append('|');
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
      if (parts.length != 3 || !parts[0].equals(VERSION)) {
        throw invalid();
      }
      String snapshot = parts[1].equals("-") ? null : parts[1].substring(1);
      if (!parts[1].equals("-") && !parts[1].startsWith("s")) {
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
      return new Cursor(positions, snapshot);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw invalid();
    }
  }

  private static BadRequestException invalid() {
    return new BadRequestException(
        "invalid-cursor", "The cursor is not one this server issued; start again without one.");
  }
}
