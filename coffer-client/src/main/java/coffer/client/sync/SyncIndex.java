package coffer.client.sync;

import coffer.core.api.ChangeEntry;
import coffer.core.model.NodeKind;
import coffer.core.sync.SyncItem;
import coffer.core.sync.SyncTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The client's own database (the seed's "internal metadata database"), one SQLite file per synced
 * folder under {@code $COFFER_HOME}: the remote tree as the change feed describes it, with the
 * feed's cursor; the synced tree (what both sides last agreed on, the merge base); and what the
 * last scan saw on disk, keyed by path, with the node id each path stands for. Every change that
 * belongs together lands in one transaction, so a crash at any moment leaves a state the next run
 * resumes from.
 *
 * <p>One connection, used under this object's lock: the executor's threads record completions one
 * small transaction at a time.
 */
public final class SyncIndex implements AutoCloseable {

  /** What a scan saw at a path: the node it is, and what is needed to tell it changed. */
  public record LocalRecord(
      String path,
      String id,
      NodeKind kind,
      long size,
      long mtime,
      String fileKey,
      String content,
      String chunks) {

    public LocalRecord withId(String newId) {
      return new LocalRecord(path, newId, kind, size, mtime, fileKey, content, chunks);
    }
  }

  private final Connection db;
  private boolean inTransaction;

  /**
   * Prepared statements by their text; at most {@link #STATEMENTS}, the least used closed first.
   */
  private final Map<String, PreparedStatement> statements =
      new java.util.LinkedHashMap<>(STATEMENTS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
          if (size() <= STATEMENTS) {
            return false;
          }
          try {
            eldest.getValue().close();
          } catch (SQLException ignored) {
            // closing a statement only frees memory; the connection stays usable
          }
          return true;
        }
      };

  private static final int STATEMENTS = 64;

  /**
   * Ids the server's ids superseded during this round, and what superseded them. A round's actions
   * run side by side from one plan: a download planned under a folder the same round gives a new id
   * must still land under that folder, not under an id nothing holds any more. The next scan
   * ({@link #replaceLocal}) starts a round whose plan reads the ids from here, so it empties.
   */
  private final Map<String, String> superseded = new java.util.HashMap<>();

  private SyncIndex(Connection db) {
    this.db = db;
  }

  /** Opens (creating if needed) the index at {@code file}. */
  public static SyncIndex open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode = WAL");
        // NORMAL: in WAL mode a crash of the process loses nothing; a power cut may lose the last
        // few records, which only makes the next round plan those steps again (a file already
        // downloaded then matches the server's and is simply recorded), never lose data.
        s.execute("PRAGMA synchronous = NORMAL");
        s.execute("PRAGMA busy_timeout = 5000");
        s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)");
        for (String tree : List.of("remote", "synced")) {
          s.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + tree
                  + " (id TEXT PRIMARY KEY, parent_id TEXT, name TEXT NOT NULL, kind TEXT NOT NULL,"
                  + " content TEXT, revision TEXT)");
          s.execute(
              "CREATE INDEX IF NOT EXISTS " + tree + "_by_parent ON " + tree + " (parent_id)");
        }
        s.execute(
            "CREATE TABLE IF NOT EXISTS local (path TEXT PRIMARY KEY, id TEXT NOT NULL, kind TEXT"
                + " NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL, file_key TEXT,"
                + " content TEXT)");
        s.execute("CREATE INDEX IF NOT EXISTS local_by_id ON local (id)");
        // The chunk locator: each file's chunk list, so downloads can take chunks from any
        // local file and uploads need not hash a file again.
        try {
          s.execute("ALTER TABLE local ADD COLUMN chunks TEXT");
        } catch (SQLException alreadyThere) {
          // an index written by this version has it
        }
        s.execute(
            "CREATE TABLE IF NOT EXISTS problems (path TEXT PRIMARY KEY, reason TEXT NOT NULL)");
        // Shared folders this account may only view: local changes inside are kept elsewhere.
        s.execute("CREATE TABLE IF NOT EXISTS read_only (id TEXT PRIMARY KEY)");
        // Which namespace (the home, or a shared folder's) each remote node is in.
        s.execute("CREATE TABLE IF NOT EXISTS remote_ns (id TEXT PRIMARY KEY, ns TEXT NOT NULL)");
        s.execute(
            "CREATE TABLE IF NOT EXISTS conflicts (copy_path TEXT PRIMARY KEY, path TEXT NOT NULL,"
                + " at TEXT NOT NULL)");
        // Uploads sent whose answer has not been recorded: the server may have taken them.
        s.execute(
            "CREATE TABLE IF NOT EXISTS sent (path TEXT PRIMARY KEY, former_id TEXT NOT NULL,"
                + " parent_id TEXT, name TEXT, size INTEGER NOT NULL, mtime INTEGER NOT NULL,"
                + " file_key TEXT, content TEXT NOT NULL, chunks TEXT)");
      }
      db.setAutoCommit(false);
      return new SyncIndex(db);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the sync index " + file + ": " + e, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Feed operations that place a node in the tree. */
  private static final java.util.Set<String> TREE_OPS =
      java.util.Set.of("exists", "create", "update", "move", "restore");

  // --- meta ---------------------------------------------------------------------------------

  public synchronized Optional<String> meta(String key) {
    return query("SELECT value FROM meta WHERE key = ?", rs -> rs.getString(1), key).stream()
        .findFirst();
  }

  public synchronized void setMeta(String key, String value) {
    inTransaction(() -> putMeta(key, value));
  }

  private void putMeta(String key, String value) throws SQLException {
    if (value == null) {
      update("DELETE FROM meta WHERE key = ?", key);
    } else {
      update(
          "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value ="
              + " excluded.value",
          key,
          value);
    }
  }

  // --- the remote tree ------------------------------------------------------------------------

  /**
   * Applies one page of the change feed and keeps its cursor, in one transaction. A page that
   * starts a snapshot ({@code fresh}) replaces the whole remote tree.
   */
  public synchronized void applyFeed(List<ChangeEntry> entries, String cursor, boolean fresh) {
    inTransaction(
        () -> {
          if (fresh) {
            update("DELETE FROM remote");
            update("DELETE FROM read_only");
            update("DELETE FROM remote_ns");
          }
          for (ChangeEntry e : entries) {
            // A node purged since (its kind is gone) will never be there again.
            if (e.op().equals("delete") || e.kind() == null) {
              deleteSubtree("remote", e.id());
              update("DELETE FROM read_only WHERE id = ?", e.id());
              continue;
            }
            if (!TREE_OPS.contains(e.op())) {
              continue; // news that is not about this tree (a file shared on its own)
            }
            if (e.namespaceId() != null) {
              update(
                  "INSERT INTO remote_ns (id, ns) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET"
                      + " ns = excluded.ns",
                  e.id(),
                  e.namespaceId());
            }
            if (Boolean.TRUE.equals(e.readOnly())) {
              update("INSERT INTO read_only (id) VALUES (?) ON CONFLICT (id) DO NOTHING", e.id());
            } else {
              update("DELETE FROM read_only WHERE id = ?", e.id());
            }
            String parent = e.parentId() != null ? e.parentId() : parentByPath(e.path());
            NodeKind kind = NodeKind.valueOf(e.kind().toUpperCase(Locale.ROOT));
            upsert(
                "remote",
                new SyncItem(
                    e.id(),
                    parent,
                    nameOf(e.path()),
                    kind,
                    kind == NodeKind.FILE ? e.contentHash() : null,
                    kind == NodeKind.FILE ? e.revision() : null));
          }
          putMeta("cursor", cursor);
        });
    notifyAll(); // wakes awaitCursorMoved
  }

  /**
   * Waits until the feed cursor is no longer {@code cursor} (null: none yet) because a round read
   * the feed, or {@code timeout} passes; true when it moved.
   */
  public synchronized boolean awaitCursorMoved(String cursor, java.time.Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (java.util.Objects.equals(cursor, meta("cursor").orElse(null))) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  private String parentByPath(String path) throws SQLException {
    String parent = meta("root").orElseThrow();
    String[] names = path.split("/");
    for (int i = 1; i < names.length - 1; i++) {
      String at = parent;
      List<String> ids =
          query(
              "SELECT id FROM remote WHERE parent_id = ? AND name = ?",
              rs -> rs.getString(1),
              at,
              names[i]);
      if (ids.isEmpty()) {
        return parent;
      }
      parent = ids.getFirst();
    }
    return parent;
  }

  private static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public synchronized SyncTree remote(String rootId) {
    return tree("remote", rootId);
  }

  public synchronized SyncTree synced(String rootId) {
    return tree("synced", rootId);
  }

  /** Records remote facts learned from a server's answer (before the feed brings them). */
  public synchronized void putRemote(SyncItem item) {
    inTransaction(() -> upsert("remote", item));
  }

  // --- the synced tree ------------------------------------------------------------------------

  /**
   * Records that both sides now hold {@code item} (with the remote side learning it too, when
   * {@code alsoRemote}); replaces any record of {@code formerId} (a local-only id the server's id
   * supersedes) in the local table.
   */
  public synchronized void recordSynced(
      SyncItem item, boolean alsoRemote, String formerId, LocalRecord local) {
    SyncItem placed =
        superseded.containsKey(item.parentId())
            ? item.withLocation(superseded.get(item.parentId()), item.name())
            : item;
    inTransaction(
        () -> {
          upsert("synced", placed);
          if (alsoRemote) {
            upsert("remote", placed);
          }
          if (formerId != null && !formerId.equals(item.id())) {
            // The new id replaces the former one everywhere it stands, children following.
            update("UPDATE local SET id = ? WHERE id = ?", item.id(), formerId);
            update("UPDATE synced SET parent_id = ? WHERE parent_id = ?", item.id(), formerId);
            update("DELETE FROM synced WHERE id = ?", formerId);
          }
          if (local != null) {
            putLocal(local);
          }
        });
    if (formerId != null && !formerId.equals(item.id())) {
      superseded.put(formerId, item.id());
    }
  }

  /**
   * Starts over as a first sync would: no cursor, no remote tree, no synced tree. What the last
   * scan saw stays, so files keep their hashes and nothing local looks new or gone.
   */
  public synchronized void restart() {
    inTransaction(
        () -> {
          putMeta("cursor", null);
          update("DELETE FROM remote");
          update("DELETE FROM synced");
          update("DELETE FROM read_only");
          update("DELETE FROM remote_ns");
        });
    notifyAll();
  }

  /** Drops an item and everything under it from the synced tree (and the remote one, if asked). */
  public synchronized void forget(String id, boolean alsoRemote) {
    inTransaction(
        () -> {
          deleteSubtree("synced", id);
          if (alsoRemote) {
            deleteSubtree("remote", id);
          }
        });
  }

  // --- what is on disk --------------------------------------------------------------------------

  public synchronized Map<String, LocalRecord> localRecords() {
    Map<String, LocalRecord> records = new HashMap<>();
    for (LocalRecord r :
        query(
            "SELECT path, id, kind, size, mtime, file_key, content, chunks FROM local",
            SyncIndex::localRecord)) {
      records.put(r.path(), r);
    }
    return records;
  }

  /**
   * Makes the local table what a scan saw, writing only what differs from {@code before} (the table
   * as the scan read it), so a quiet rescan of a large folder writes nothing.
   */
  public synchronized void replaceLocal(
      Map<String, LocalRecord> before, List<LocalRecord> records) {
    superseded.clear();
    inTransaction(
        () -> {
          java.util.Set<String> gone = new java.util.HashSet<>(before.keySet());
          for (LocalRecord r : records) {
            gone.remove(r.path());
            if (!r.equals(before.get(r.path()))) {
              putLocal(r);
            }
          }
          for (String path : gone) {
            update("DELETE FROM local WHERE path = ?", path);
          }
        });
  }

  public synchronized void putLocal(LocalRecord r, String... removedPaths) {
    inTransaction(
        () -> {
          for (String removed : removedPaths) {
            update("DELETE FROM local WHERE path = ?", removed);
          }
          if (r != null) {
            putLocal(r);
          }
        });
  }

  /** Forgets what was seen at {@code path} and below it. */
  public synchronized void removeLocal(String path) {
    inTransaction(
        () ->
            update(
                "DELETE FROM local WHERE path = ? OR path LIKE ? ESCAPE '\\'", path, below(path)));
  }

  /** Renames what was seen at {@code from} (and below it) to {@code to}. */
  public synchronized void moveLocal(String from, String to) {
    inTransaction(
        () -> {
          update("DELETE FROM local WHERE path = ? OR path LIKE ? ESCAPE '\\'", to, below(to));
          update(
              "UPDATE local SET path = ? || substr(path, ?) WHERE path = ? OR path LIKE ? ESCAPE"
                  + " '\\'",
              to,
              from.length() + 1,
              from,
              below(from));
        });
  }

  private static String below(String path) {
    return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%";
  }

  private void putLocal(LocalRecord r) throws SQLException {
    update(
        "INSERT INTO local (path, id, kind, size, mtime, file_key, content, chunks) VALUES (?,"
            + " ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET id = excluded.id, kind ="
            + " excluded.kind, size = excluded.size, mtime = excluded.mtime, file_key ="
            + " excluded.file_key, content = excluded.content, chunks = excluded.chunks",
        r.path(),
        r.id(),
        r.kind().name(),
        r.size(),
        r.mtime(),
        r.fileKey(),
        r.content(),
        r.chunks());
  }

  // --- uploads whose answer may have been lost ------------------------------------------------

  /**
   * An upload on its way to the server: the file as the scan saw it ({@code record}, whose content
   * was sent), the id it had then ({@code formerId}), and for a new file the folder and name it
   * goes to ({@code parentId} and {@code name}; null for an edit of the node {@code formerId}).
   */
  public record Sent(String formerId, String parentId, String name, LocalRecord record) {}

  /** Notes uploads about to be sent, so a lost answer can be recognised later. */
  public synchronized void noteSent(List<Sent> sent) {
    if (sent.isEmpty()) {
      return;
    }
    inTransaction(
        () -> {
          for (Sent s : sent) {
            LocalRecord r = s.record();
            update(
                "INSERT OR REPLACE INTO sent (path, former_id, parent_id, name, size, mtime,"
                    + " file_key, content, chunks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.path(),
                s.formerId(),
                s.parentId(),
                s.name(),
                r.size(),
                r.mtime(),
                r.fileKey(),
                r.content(),
                r.chunks());
          }
        });
  }

  /** Forgets the notes of uploads whose answer came (or which no longer matter). */
  public synchronized void clearSent(List<String> paths) {
    if (paths.isEmpty()) {
      return;
    }
    inTransaction(
        () -> {
          for (String path : paths) {
            update("DELETE FROM sent WHERE path = ?", path);
          }
        });
  }

  /** The uploads sent whose answer was not recorded. */
  public synchronized List<Sent> sent() {
    return query(
        "SELECT path, former_id, parent_id, name, size, mtime, file_key, content, chunks FROM sent",
        rs ->
            new Sent(
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                new LocalRecord(
                    rs.getString(1),
                    rs.getString(2),
                    NodeKind.FILE,
                    rs.getLong(5),
                    rs.getLong(6),
                    rs.getString(7),
                    rs.getString(8),
                    rs.getString(9))));
  }

  // --- problems -------------------------------------------------------------------------------

  /** Replaces the list of paths that cannot sync, with why. */
  public synchronized void setProblems(Map<String, String> problems) {
    inTransaction(
        () -> {
          update("DELETE FROM problems");
          for (Map.Entry<String, String> p : problems.entrySet()) {
            update("INSERT INTO problems (path, reason) VALUES (?, ?)", p.getKey(), p.getValue());
          }
        });
  }

  /** The namespace a remote node is in, as the feed last said; null when unknown. */
  public synchronized String namespaceOf(String id) {
    return query("SELECT ns FROM remote_ns WHERE id = ?", rs -> rs.getString(1), id).stream()
        .findFirst()
        .orElse(null);
  }

  /** The ids of shared folders this account may only view. */
  public synchronized java.util.Set<String> readOnlyRoots() {
    return new java.util.HashSet<>(query("SELECT id FROM read_only", rs -> rs.getString(1)));
  }

  /** Records that the local version of {@code path} was kept as {@code copyPath}. */
  public synchronized void recordConflict(String path, String copyPath, String at) {
    inTransaction(
        () ->
            update(
                "INSERT INTO conflicts (copy_path, path, at) VALUES (?, ?, ?) ON CONFLICT"
                    + " (copy_path) DO UPDATE SET path = excluded.path, at = excluded.at",
                copyPath,
                path,
                at));
  }

  /** The most recent conflicted copies, newest first: copy path, original path, when. */
  public synchronized List<String[]> conflicts(int limit) {
    return query(
        "SELECT copy_path, path, at FROM conflicts ORDER BY at DESC LIMIT ?",
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)},
        limit);
  }

  public synchronized Map<String, String> problems() {
    Map<String, String> problems = new java.util.TreeMap<>();
    for (String[] row :
        query(
            "SELECT path, reason FROM problems",
            rs -> new String[] {rs.getString(1), rs.getString(2)})) {
      problems.put(row[0], row[1]);
    }
    return problems;
  }

  @Override
  public synchronized void close() {
    try {
      for (PreparedStatement statement : statements.values()) {
        statement.close();
      }
      statements.clear();
      db.close();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot close the sync index", e);
    }
  }

  // --- plumbing -------------------------------------------------------------------------------

  private SyncTree tree(String table, String rootId) {
    List<SyncItem> items =
        query(
            "SELECT id, parent_id, name, kind, content, revision FROM " + table,
            rs ->
                new SyncItem(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    NodeKind.valueOf(rs.getString(4)),
                    rs.getString(5),
                    rs.getString(6)));
    return new SyncTree(rootId, table.equals("synced") ? withoutOrphans(rootId, items) : items);
  }

  /**
   * The synced items whose folders are all there. A crash between two writes of one action can
   * leave an item whose folder the table no longer holds; such an item is left out of the tree (and
   * will be matched again by name and content), since for the synced tree a missing entry only
   * means "no agreed state", never a deletion, while refusing the whole table would stop sync for
   * good.
   */
  private static List<SyncItem> withoutOrphans(String rootId, List<SyncItem> items) {
    Map<String, SyncItem> byId = new HashMap<>();
    items.forEach(item -> byId.put(item.id(), item));
    List<SyncItem> kept = new ArrayList<>(items.size());
    for (SyncItem item : items) {
      if (reachesRoot(item, rootId, byId)) {
        kept.add(item);
      }
    }
    return kept;
  }

  private static boolean reachesRoot(SyncItem item, String rootId, Map<String, SyncItem> byId) {
    SyncItem at = item;
    for (int depth = 0; depth <= byId.size(); depth++) {
      if (at.parentId().equals(rootId)) {
        return true;
      }
      SyncItem parent = byId.get(at.parentId());
      if (parent == null || parent.kind() != NodeKind.FOLDER) {
        return false;
      }
      at = parent;
    }
    return false; // a cycle
  }

  private void upsert(String table, SyncItem item) throws SQLException {
    update(
        "INSERT INTO "
            + table
            + " (id, parent_id, name, kind, content, revision) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, name ="
            + " excluded.name, kind = excluded.kind, content = excluded.content, revision ="
            + " excluded.revision",
        item.id(),
        item.parentId(),
        item.name(),
        item.kind().name(),
        item.content(),
        item.revision());
  }

  private void deleteSubtree(String table, String id) throws SQLException {
    update(
        "WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT t.id FROM "
            + table
            + " t JOIN sub ON t.parent_id = sub.id) DELETE FROM "
            + table
            + " WHERE id IN (SELECT id FROM sub)",
        id);
  }

  private static LocalRecord localRecord(ResultSet rs) throws SQLException {
    return new LocalRecord(
        rs.getString(1),
        rs.getString(2),
        NodeKind.valueOf(rs.getString(3)),
        rs.getLong(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8));
  }

  private interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private interface Work {
    void run() throws SQLException;
  }

  /**
   * Runs {@code work}, which calls this index's methods, as one transaction: one commit for many
   * records, and no other thread's records in between. Should it fail, none of them is kept.
   */
  public synchronized void together(Runnable work) {
    inTransaction(work::run);
  }

  private void inTransaction(Work work) {
    boolean outer = !inTransaction;
    inTransaction = true;
    try {
      work.run();
      if (outer) {
        db.commit();
      }
    } catch (SQLException | RuntimeException e) {
      try {
        db.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("sync index: " + e.getMessage(), e);
    } finally {
      if (outer) {
        inTransaction = false;
      }
    }
  }

  /**
   * The statement for {@code sql}, prepared once: the index runs the same few statements many
   * thousand times a round, and preparing each anew cost more than running it.
   */
  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement known = statements.get(sql);
    if (known != null) {
      return known;
    }
    PreparedStatement prepared = db.prepareStatement(sql);
    statements.put(sql, prepared);
    return prepared;
  }

  private <T> List<T> query(String sql, Row<T> row, Object... args) {
    try {
      PreparedStatement ps = statement(sql);
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.map(rs));
        }
        if (!inTransaction) {
          db.commit(); // end the read, so the log can be checkpointed
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("sync index: " + e.getMessage(), e);
    }
  }

  private void update(String sql, Object... args) throws SQLException {
    PreparedStatement ps = statement(sql);
    bind(ps, args);
    ps.executeUpdate();
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }
}
