package coffer.server.metadata.jdbc;

import coffer.core.hash.Sha256;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Column conversions shared by the record sets. */
final class Rows {
  private Rows() {}

  static Instant instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  static Sha256 hash(ResultSet rs, String column) throws SQLException {
    String hex = rs.getString(column);
    return hex == null ? null : Sha256.parse(hex);
  }

  static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  static String hex(Sha256 hash) {
    return hash == null ? null : hash.hex();
  }
}
