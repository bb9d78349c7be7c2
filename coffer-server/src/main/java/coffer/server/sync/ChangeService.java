package coffer.server.sync;

import coffer.core.api.ChangeEntry;
import coffer.core.api.ChangeSignal;
import coffer.core.api.ChangesPage;
import coffer.core.error.BadRequestException;
import coffer.core.error.NotFoundException;
import coffer.core.model.JournalEntry;
import coffer.core.model.Node;
import coffer.server.auth.Principal;
import coffer.server.files.FileService;
import coffer.server.files.NodePaths;
import coffer.server.metadata.JournalRecords;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataTransaction;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
    List<String> namespaces = visibleNamespaces(p);
    ChangesPage page = page(namespaces, cursorToken, pageSize);
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

  private ChangesPage page(List<String> namespaces, String cursorToken, int pageSize) {
    return store.read(
        tx -> {
          Cursor cursor = start(tx, namespaces, cursorToken);
          List<ChangeEntry> entries = new ArrayList<>();
          if (cursor.inSnapshot()) {
            cursor = snapshot(tx, namespaces, cursor, pageSize, entries);
            if (cursor.inSnapshot()) {
              return new ChangesPage(entries, cursor.encode(), true, cursor.positions());
            }
          }
          Map<String, Long> positions = new HashMap<>(cursor.positions());
          boolean more = false;
          for (String ns : namespaces) {
            int room = pageSize - entries.size();
            if (room <= 0) {
              more = true;
              break;
            }
            List<JournalRecords.FeedEntry> journal =
                tx.journal().feedAfter(ns, cursor.position(ns), room);
            for (JournalRecords.FeedEntry feed : journal) {
              JournalEntry entry = feed.entry();
              entries.add(
                  view(
                      entry,
                      feed.kind() == null ? null : feed.kind().wire(),
                      feed.contentHash(),
                      feed.size()));
              positions.put(ns, entry.seq());
            }
            more |= journal.size() == room;
          }
          return new ChangesPage(
              entries, new Cursor(positions, null).encode(), more, Map.copyOf(positions));
        });
  }

  /**
   * Waits until something visible to the cursor changes, or {@code timeout} passes. Returns at once
   * when changes are already waiting.
   */
  public ChangeSignal await(Principal p, String cursorToken, Duration timeout)
      throws InterruptedException {
    if (cursorToken == null || cursorToken.isBlank()) {
      return new ChangeSignal(true);
    }
    Cursor cursor = Cursor.decode(cursorToken);
    if (cursor.inSnapshot()) {
      return new ChangeSignal(true);
    }
    Map<String, Long> positions = new HashMap<>();
    for (String ns : visibleNamespaces(p)) {
      positions.put(ns, cursor.position(ns));
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
   * Streams change signals: {@code signal} runs whenever something visible to the cursor changes
   * (on a notifier thread; it must not block), and at once when changes are already waiting. The
   * stream lasts until the returned handle is closed.
   */
  public AutoCloseable stream(Principal p, String cursorToken, Runnable signal) {
    Map<String, Long> positions = new HashMap<>();
    Cursor cursor =
        cursorToken == null || cursorToken.isBlank() ? null : Cursor.decode(cursorToken);
    for (String ns : visibleNamespaces(p)) {
      positions.put(ns, cursor == null ? 0 : cursor.position(ns));
    }
    ChangeWaiters.Waiter waiter = waiters.listen(positions, signal);
    if (cursor == null || cursor.inSnapshot() || anyBeyond(positions)) {
      signal.run();
    }
    return waiter;
  }

  /** A file's history, or a folder's and everything ever inside it, oldest first. */
  public List<ChangeEntry> history(Principal p, String nodeId) {
    return store.read(
        tx -> {
          String id =
              FileService.ROOT_ALIAS.equals(nodeId)
                  ? tx.namespaces().rootId(p.homeNamespace())
                  : nodeId;
          Node node =
              tx.nodes()
                  .byId(id)
                  .filter(n -> n.namespaceId().equals(p.homeNamespace()))
                  .orElseThrow(
                      () -> new NotFoundException("not-found", "No file or folder with that id."));
          List<String> ids =
              node.isFolder()
                  ? tx.nodes().subtreeIds(node.namespaceId(), node.id())
                  : List.of(node.id());
          return tx.journal().forNodes(node.namespaceId(), ids, MAX_HISTORY).stream()
              .map(e -> view(tx, e))
              .toList();
        });
  }

  private boolean anyBeyond(Map<String, Long> positions) {
    return store.read(
        tx ->
            positions.entrySet().stream()
                .anyMatch(e -> tx.namespaces().lastSeq(e.getKey()) > e.getValue()));
  }

  private static Cursor start(MetadataTransaction tx, List<String> namespaces, String token) {
    if (token != null && !token.isBlank()) {
      return Cursor.decode(token);
    }
    Map<String, Long> positions = new HashMap<>();
    for (String ns : namespaces) {
      positions.put(ns, tx.namespaces().lastSeq(ns));
    }
    return new Cursor(positions, "");
  }

  /** Adds snapshot entries; returns the cursor to continue with (out of the snapshot when done). */
  private static Cursor snapshot(
      MetadataTransaction tx,
      List<String> namespaces,
      Cursor cursor,
      int pageSize,
      List<ChangeEntry> into) {
    // One namespace for now: the home. Shared namespaces will page one after another.
    String ns = namespaces.getFirst();
    List<Node> nodes = tx.nodes().liveAfter(ns, cursor.snapshotAfter(), pageSize);
    for (Node node : nodes) {
      if (!node.isRoot()) {
        into.add(
            new ChangeEntry(
                ns,
                0,
                "exists",
                node.id(),
                node.kind().wire(),
                NodePaths.pathOf(tx, node),
                node.revisionId(),
                node.modifiedAt(),
                node.parentId(),
                node.contentHash() == null ? null : node.contentHash().hex(),
                node.size()));
      }
    }
    if (nodes.size() == pageSize) {
      return new Cursor(cursor.positions(), nodes.getLast().id());
    }
    return new Cursor(cursor.positions(), null);
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

  static List<String> visibleNamespaces(Principal p) {
    if (p.homeNamespace() == null) {
      throw new BadRequestException("no-namespace", "This account has no files.");
    }
    return List.of(p.homeNamespace());
  }
}
