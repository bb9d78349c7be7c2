package coffer.server.metadata.jdbc;

import coffer.server.metadata.IntegrityRecords;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

final class JdbiIntegrityRecords implements IntegrityRecords {

  /** A rule as a query whose rows are findings: the subject, then what makes up the detail. */
  private record Rule(String kind, String sql, String detail) {}

  // Plain SQL both SQLite and PostgreSQL run alike; each query selects the subject first and
  // then the values its detail names, in order.
  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "node-without-parent",
              "SELECT n.id, n.parent_id FROM nodes n WHERE n.parent_id IS NOT NULL"
                  + " AND NOT EXISTS (SELECT 1 FROM nodes p WHERE p.id = n.parent_id)",
              "its parent %s does not exist"),
          new Rule(
              "parent-not-a-folder",
              "SELECT n.id, p.id FROM nodes n JOIN nodes p ON p.id = n.parent_id"
                  + " WHERE p.kind <> 'folder'",
              "its parent %s is a file"),
          new Rule(
              "parent-in-another-namespace",
              "SELECT n.id, p.id, n.ns_id, p.ns_id FROM nodes n JOIN nodes p ON p.id = n.parent_id"
                  + " WHERE p.ns_id <> n.ns_id",
              "its parent %1$s is in namespace %3$s, not %2$s"),
          new Rule(
              "file-without-revision",
              "SELECT n.id, n.rev_id FROM nodes n WHERE n.kind = 'file' AND (n.rev_id IS NULL"
                  + " OR NOT EXISTS (SELECT 1 FROM revisions r"
                  + " WHERE r.id = n.rev_id AND r.node_id = n.id))",
              "its current revision %s is missing or another file's"),
          new Rule(
              "file-disagrees-with-revision",
              "SELECT n.id, r.id FROM nodes n JOIN revisions r ON r.id = n.rev_id"
                  + " WHERE n.kind = 'file' AND (n.size <> r.size"
                  + " OR COALESCE(n.content_hash, '') <> COALESCE(r.content_hash, ''))",
              "its size or content hash differs from its revision %s"),
          new Rule(
              "revision-chunks-wrong",
              "SELECT r.id, r.size, COALESCE(SUM(c.length), 0), COUNT(c.idx) FROM revisions r"
                  + " LEFT JOIN revision_chunks c ON c.rev_id = r.id GROUP BY r.id, r.size"
                  + " HAVING COALESCE(SUM(c.length), 0) <> r.size"
                  + " OR COUNT(c.idx) <> COALESCE(MAX(c.idx) + 1, 0)",
              "it is %1$s bytes, but its %3$s chunks add up to %2$s or are not numbered from 0"),
          new Rule(
              "namespace-without-root",
              "SELECT ns.id, ns.root_id FROM namespaces ns WHERE NOT EXISTS"
                  + " (SELECT 1 FROM nodes n WHERE n.id = ns.root_id AND n.ns_id = ns.id)",
              "its root folder %s does not exist"),
          new Rule(
              "journal-past-sequence",
              "SELECT j.ns_id, MAX(j.seq), ns.last_seq FROM journal j"
                  + " JOIN namespaces ns ON ns.id = j.ns_id GROUP BY j.ns_id, ns.last_seq"
                  + " HAVING MAX(j.seq) > ns.last_seq",
              "its journal reaches %s, past its last sequence number %s"),
          new Rule(
              "mount-without-namespace",
              "SELECT n.id, n.mount_ns FROM nodes n WHERE n.mount_ns IS NOT NULL"
                  + " AND NOT EXISTS (SELECT 1 FROM namespaces ns WHERE ns.id = n.mount_ns)",
              "it mounts namespace %s, which does not exist"));

  private final Handle handle;

  JdbiIntegrityRecords(Handle handle) {
    this.handle = handle;
  }

  @Override
  public List<Finding> check(int limit) {
    List<Finding> findings = new ArrayList<>();
    for (Rule rule : RULES) {
      findings.addAll(
          handle
              .createQuery(rule.sql() + " LIMIT " + Math.max(1, limit))
              .map(
                  (rs, ctx) -> {
                    int columns = rs.getMetaData().getColumnCount();
                    Object[] values = new Object[columns - 1];
                    for (int i = 2; i <= columns; i++) {
                      values[i - 2] = rs.getString(i);
                    }
                    return new Finding(
                        rule.kind(), rs.getString(1), String.format(rule.detail(), values));
                  })
              .list());
    }
    return findings;
  }

  @Override
  public Counts counts() {
    return new Counts(
        handle.createQuery("SELECT COUNT(*) FROM nodes").mapTo(Long.class).one(),
        handle.createQuery("SELECT COUNT(*) FROM revisions").mapTo(Long.class).one());
  }
}
