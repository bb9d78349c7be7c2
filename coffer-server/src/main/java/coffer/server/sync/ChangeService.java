package coffer.server.sync;

import coffer.core.api.ChangeEntry;
import coffer.core.api.ChangeSignal;
import coffer.core.api.ChangesPage;
import coffer.core.model.JournalEntry;
import coffer.core.model.Node;
import coffer.server.auth.Principal;
import coffer.server.files.Access;
import coffer.server.files.Access.Perspective;
import coffer.server.files.NodePaths;
import coffer.server.metadata.JournalRecords;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataTransaction;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The change feed: every device reads the journals of the namespaces it can see with its own
 * cursor, so an offline device resumes exactly where it stopped and nothing is ever dropped. A new
 * device first pages through a snapshot of the live tree, then follows the journals from the
 * positions the snapshot started at. Long-polls park on {@link ChangeWaiters} until a hint says one
 * of their namespaces moved.
 */
public final class ChangeService {

  /** Entries per page unless the caller asks for fewer. */
  public static final int MAX_PAGE = 1000;

  /** The longest a long-poll may wait. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private static final int MAX_HISTORY = 1000;

  private final MetadataStore store;
  private final ChangeWaiters waiters;
  private final Clock clock;

  public ChangeService(MetadataStore store, ChangeWaiters waiters, Clock clock) {
    this.store = store;
    this.waiters = waiters;
    this.clock = clock;
  }

  /** One page of changes after {@code cursorToken} (null or empty: start with a snapshot). */
  public ChangesPage changes(Principal p, String cursorToken, int limit) {
    int pageSize = Math.clamp(limit <= 0 ? MAX_PAGE : limit, 1, MAX_PAGE);
    Cursor start =
        cursorToken == null || cursorToken.isBlank() ? Cursor.start() : Cursor.decode(cursorToken);
    ChangesPage page = store.read(tx -> page(tx, p, start, pageSize));
    if (cursorToken != null && !cursorToken.isBlank() && p.deviceId() != null) {
      // The cursor a device presents is what it has read: its position, for the device list.
      // Lazily durable: losing it after a crash only makes a device look a little behind.
      store.writeLazily(
          tx -> {
            tx.devices().recordCursor(p.deviceId(), cursorToken, clock.instant());
            return null;
          });
    }
    return page;
  }

  /**
   * One page: first the rest of a snapshot in progress, then the journals of the namespaces the
   * cursor knows, then a snapshot of each namespace it does not know yet (newly shared). Positions
   * of namespaces the caller no longer sees are dropped, so seeing one again starts with a
   * snapshot.
   */
  private static ChangesPage page(
      MetadataTransaction tx, Principal p, Cursor cursor, int pageSize) {
    Map<String, Perspective> seen = new LinkedHashMap<>();
    for (Access.Grant grant : Access.namespaces(tx, p)) {
      seen.put(grant.namespaceId(), Perspective.of(tx, grant));
    }
    String epoch = tx.server().epoch();
    if (!ofThisHistory(tx, cursor, epoch)) {
      throw Cursor.otherHistory();
    }
    Map<String, Long> positions = new HashMap<>(cursor.positions());
    positions.keySet().retainAll(seen.keySet());
    String snapshotNs =
        cursor.inSnapshot() && seen.containsKey(cursor.snapshotNamespace())
            ? cursor.snapshotNamespace()
            : null;
    String after = snapshotNs == null ? null : cursor.snapshotAfter();
    if (cursor.inSnapshot() && snapshotNs == null) {
      positions.remove(cursor.snapshotNamespace());
    }
    List<ChangeEntry> entries = new ArrayList<>();
    while (true) {
      if (snapshotNs != null) {
        after = snapshot(tx, seen, snapshotNs, after, pageSize - entries.size(), entries);
        if (after != null) {
          Cursor next = new Cursor(epoch, positions, snapshotNs, after);
          return new ChangesPage(entries, next.encode(), true, Map.copyOf(positions));
        }
        snapshotNs = null;
      }
      for (Map.Entry<String, Perspective> ns : seen.entrySet()) {
        if (!positions.containsKey(ns.getKey())) {
          continue;
        }
        int room = pageSize - entries.size();
        if (room <= 0) {
          return new ChangesPage(
              entries,
              new Cursor(epoch, positions, null, null).encode(),
              true,
              Map.copyOf(positions));
        }
        List<JournalRecords.FeedEntry> journal =
            tx.journal().feedAfter(ns.getKey(), positions.get(ns.getKey()), room);
        for (JournalRecords.FeedEntry feed : journal) {
          positions.put(ns.getKey(), feed.entry().seq());
          if (movedToSeen(feed, seen)) {
            // The node lives in another namespace the caller sees now: that journal says where.
            continue;
          }
          entries.add(entry(ns.getValue(), feed, seen));
        }
        if (journal.size() == room) {
          return new ChangesPage(
              entries,
              new Cursor(epoch, positions, null, null).encode(),
              true,
              Map.copyOf(positions));
        }
      }
      String unknown =
          seen.keySet().stream().filter(ns -> !positions.containsKey(ns)).findFirst().orElse(null);
      if (unknown == null) {
        return new ChangesPage(
            entries,
            new Cursor(epoch, positions, null, null).encode(),
            false,
            Map.copyOf(positions));
      }
      positions.put(unknown, tx.namespaces().lastSeq(unknown));
      snapshotNs = unknown;
      after = "";
    }
  }

  /**
   * Whether a cursor was read from this history of the data: its epoch is this one (or it predates
   * epochs), and it has not seen further into any journal than the journal goes. Either failing
   * means the data was restored from a backup since: reading on would skip what changed.
   */
  private static boolean ofThisHistory(MetadataTransaction tx, Cursor cursor, String epoch) {
    if (!cursor.from(epoch)) {
      return false;
    }
    for (Map.Entry<String, Long> position : cursor.positions().entrySet()) {
      Long last = tx.namespaces().lastSeqIfAny(position.getKey());
      if (last != null && position.getValue() > last) {
        return false;
      }
    }
    return true;
  }

  private static boolean movedToSeen(JournalRecords.FeedEntry feed, Map<String, ?> seen) {
    String now = feed.nodeNamespace();
    return now != null && !now.equals(feed.entry().namespaceId()) && seen.containsKey(now);
  }

  /** A journal entry as the caller sees it (see {@link Access.Perspective}). */
  private static ChangeEntry entry(
      Perspective ns, JournalRecords.FeedEntry feed, Map<String, Perspective> seen) {
    JournalEntry e = feed.entry();
    return new ChangeEntry(
        e.namespaceId(),
        e.seq(),
        e.op().name().toLowerCase(Locale.ROOT),
        e.nodeId(),
        feed.kind() == null ? null : feed.kind().wire(),
        ns.path(e.path()),
        e.revisionId(),
        e.at(),
        ns.parent(e.parentId()),
        feed.contentHash(),
        feed.size(),
        readOnly(feed.mountNamespace(), seen));
  }

  /** A snapshot entry: a live node as the caller sees it. */
  private static ChangeEntry exists(
      MetadataTransaction tx, Perspective ns, Node node, Map<String, Perspective> seen) {
    return new ChangeEntry(
        node.namespaceId(),
        0,
        "exists",
        node.id(),
        node.kind().wire(),
        ns.path(NodePaths.pathOf(tx, node)),
        node.revisionId(),
        node.modifiedAt(),
        ns.parent(node.parentId()),
        node.contentHash() == null ? null : node.contentHash().hex(),
        node.size(),
        readOnly(node.mountNamespace(), seen));
  }

  /** True on a mount of a namespace the caller may only view; null (left out) otherwise. */
  private static Boolean readOnly(String mountNamespace, Map<String, Perspective> seen) {
    if (mountNamespace == null) {
      return null;
    }
    Perspective mounted = seen.get(mountNamespace);
    return mounted != null && !mounted.grant().role().canWrite() ? Boolean.TRUE : null;
  }

  /**
   * Waits until something visible to the cursor changes, or {@code timeout} passes. Returns at once
   * when changes are already waiting, or when the caller sees a namespace the cursor does not know
   * yet (newly shared).
   */
  public ChangeSignal await(Principal p, String cursorToken, Duration timeout)
      throws InterruptedException {
    if (cursorToken == null || cursorToken.isBlank()) {
      return new ChangeSignal(true);
    }
    Cursor cursor = Cursor.decode(cursorToken);
    record Standing(Map<String, Long> positions, boolean ofThisHistory) {}
    Standing standing =
        store.read(
            tx ->
                new Standing(
                    positions(tx, p, cursor), ofThisHistory(tx, cursor, tx.server().epoch())));
    Map<String, Long> positions = standing.positions();
    if (cursor.inSnapshot()
        || !cursor.positions().keySet().containsAll(positions.keySet())
        || !standing.ofThisHistory()) {
      return new ChangeSignal(true);
    }
    Duration wait = timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout;
    // Register first, then look: a change committed in between still wakes this waiter.
    try (ChangeWaiters.Parked waiter = waiters.register(positions)) {
      if (anyBeyond(positions)) {
        return new ChangeSignal(true);
      }
      return new ChangeSignal(waiter.await(wait) || anyBeyond(positions));
    }
  }

  /**
   * Streams change signals: {@code signal} runs whenever something visible to the cursor changes,
   * and at once when changes are already waiting. After each change the stream follows the
   * namespaces the caller sees then: a new share joins, an ended one stops signalling. The stream
   * lasts until the returned handle is closed.
   */
  public AutoCloseable stream(Principal p, String cursorToken, Runnable signal) {
    Cursor cursor =
        cursorToken == null || cursorToken.isBlank() ? null : Cursor.decode(cursorToken);
    Map<String, Long> positions = positions(p, cursor == null ? Cursor.start() : cursor);
    ChangeWaiters.Waiter[] waiter = new ChangeWaiters.Waiter[1];
    Object refreshing = new Object();
    Runnable onChange =
        () ->
            // Off the notifier's thread: refreshing what the caller sees reads the database. One
            // refresh at a time per stream, so an older read never undoes a newer one.
            Thread.ofVirtual()
                .start(
                    () -> {
                      synchronized (refreshing) {
                        try {
                          Map<String, Long> now = new HashMap<>();
                          store.read(
                              tx -> {
                                for (Access.Grant g : Access.namespaces(tx, p)) {
                                  now.put(
                                      g.namespaceId(), tx.namespaces().lastSeq(g.namespaceId()));
                                }
                                return null;
                              });
                          waiter[0].retarget(now);
                        } catch (RuntimeException e) {
                          // The account or device is gone: the signal makes the client ask, and
                          // fail.
                        }
                      }
                      signal.run();
                    });
    waiter[0] = waiters.listen(positions, onChange);
    if (cursor == null
        || cursor.inSnapshot()
        || !cursor.positions().keySet().containsAll(positions.keySet())
        || anyBeyond(positions)
        || !store.read(tx -> ofThisHistory(tx, cursor, tx.server().epoch()))) {
      signal.run();
    }
    return waiter[0];
  }

  /**
   * A cursor at the end of every journal the caller sees: reading from it returns only what changes
   * from now on. For clients that show the current state (the web UI) rather than mirror it, and so
   * need no snapshot.
   */
  public String latest(Principal p) {
    return store.read(
        tx -> {
          Map<String, Long> positions = new HashMap<>();
          for (Access.Grant grant : Access.namespaces(tx, p)) {
            positions.put(grant.namespaceId(), tx.namespaces().lastSeq(grant.namespaceId()));
          }
          return new Cursor(tx.server().epoch(), positions, null, null).encode();
        });
  }

  /** The cursor's positions in each namespace the caller sees (0 for one it does not know). */
  private Map<String, Long> positions(Principal p, Cursor cursor) {
    return store.read(tx -> positions(tx, p, cursor));
  }

  /** The cursor's position in each namespace the caller sees now. */
  private static Map<String, Long> positions(MetadataTransaction tx, Principal p, Cursor cursor) {
    Map<String, Long> positions = new HashMap<>();
    for (Access.Grant grant : Access.namespaces(tx, p)) {
      positions.put(grant.namespaceId(), cursor.position(grant.namespaceId()));
    }
    return positions;
  }

  /** A file's history, or a folder's and everything ever inside it, oldest first. */
  public List<ChangeEntry> history(Principal p, String nodeId) {
    return store.read(
        tx -> {
          Node node = Access.inside(tx, p, Access.seen(tx, p, nodeId));
          List<String> ids =
              node.isFolder()
                  ? tx.nodes().subtreeIds(node.namespaceId(), node.id())
                  : List.of(node.id());
          // From the caller's side: under their mount, or (a file shared on its own) alone.
          java.util.function.UnaryOperator<ChangeEntry> seenAs =
              Access.grant(tx, p, node.namespaceId())
                  .map(g -> Perspective.of(tx, g))
                  .<java.util.function.UnaryOperator<ChangeEntry>>map(
                      per -> e -> relocated(e, per.path(e.path()), per.parent(e.parentId())))
                  .orElse(e -> relocated(e, "/" + node.name(), null));
          return tx.journal().forNodes(node.namespaceId(), ids, MAX_HISTORY).stream()
              .map(e -> seenAs.apply(view(tx, e)))
              .toList();
        });
  }

  private boolean anyBeyond(Map<String, Long> positions) {
    return store.read(
        tx ->
            positions.entrySet().stream()
                .anyMatch(e -> tx.namespaces().lastSeq(e.getKey()) > e.getValue()));
  }

  /**
   * Adds up to {@code room} snapshot entries of one namespace after node id {@code after}; returns
   * where to continue, or null when the snapshot is done.
   */
  private static String snapshot(
      MetadataTransaction tx,
      Map<String, Perspective> seen,
      String namespaceId,
      String after,
      int room,
      List<ChangeEntry> into) {
    if (room <= 0) {
      return after;
    }
    Perspective ns = seen.get(namespaceId);
    List<Node> nodes = tx.nodes().liveAfter(namespaceId, after, room);
    for (Node node : nodes) {
      if (!node.isRoot()) {
        into.add(exists(tx, ns, node, seen));
      }
    }
    return nodes.size() == room ? nodes.getLast().id() : null;
  }

  private static ChangeEntry relocated(ChangeEntry e, String path, String parentId) {
    return new ChangeEntry(
        e.namespaceId(),
        e.seq(),
        e.op(),
        e.id(),
        e.kind(),
        path,
        e.revision(),
        e.at(),
        parentId,
        e.contentHash(),
        e.size(),
        e.readOnly());
  }

  private static ChangeEntry view(MetadataTransaction tx, JournalEntry entry) {
    String kind = tx.nodes().byId(entry.nodeId()).map(n -> n.kind().wire()).orElse(null);
    var revision = entry.revisionId() == null ? null : tx.revisions().byId(entry.revisionId());
    return view(
        entry,
        kind,
        revision == null ? null : revision.map(r -> r.contentHash().hex()).orElse(null),
        revision == null ? 0 : revision.map(r -> r.size()).orElse(0L));
  }

  private static ChangeEntry view(JournalEntry entry, String kind, String contentHash, long size) {
    return new ChangeEntry(
        entry.namespaceId(),
        entry.seq(),
        entry.op().name().toLowerCase(Locale.ROOT),
        entry.nodeId(),
        kind,
        entry.path(),
        entry.revisionId(),
        entry.at(),
        entry.parentId(),
        contentHash,
        size);
  }
}
