package coffer.client.sync;

import coffer.client.ApiException;
import coffer.client.ServerApi;
import coffer.client.Transfers;
import coffer.core.api.ChangesPage;
import coffer.core.sync.PlanContext;
import coffer.core.sync.Planner;
import coffer.core.sync.SyncAction;
import coffer.core.sync.SyncItem;
import coffer.core.sync.SyncTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps one folder and one account identical: each round reads the change feed until caught up,
 * scans the folder, asks the {@link Planner} what to do against the last agreed (synced) tree, and
 * carries it out; rounds repeat until a plan is empty. Missing evidence never becomes a deletion: a
 * missing or emptied folder pauses sync, and so does a plan that would delete more than a threshold
 * until the user confirms.
 */
public final class SyncEngine implements AutoCloseable {

  /** How one folder syncs. */
  public record Options(
      Path root, Path indexFile, String deviceName, boolean confirmDeletes, int deleteThreshold) {

    /** Deleting more than this many items at once waits for confirmation (or half the folder). */
    public static final int DEFAULT_DELETE_THRESHOLD = 1000;
  }

  /**
   * What the engine runs on: a pool for actions (which wait on the network and the disk), one for
   * hashing (which works the CPU), one for chunk transfers, and a clock. Separate pools, so an
   * action that hashes never waits for a thread held by another action. A simulation passes its
   * own, to run everything in an order it chooses and at times it sets.
   */
  public record Environment(
      ExecutorService actions,
      ExecutorService hashing,
      ExecutorService transfers,
      Clock clock,
      Failpoints failpoints) {

    /** Daemon thread pools sized for this machine, and the system clock. */
    public static Environment standard() {
      int cores = Runtime.getRuntime().availableProcessors();
      return new Environment(
          Executors.newFixedThreadPool(16, Thread.ofPlatform().daemon().name("sync-", 0).factory()),
          Executors.newFixedThreadPool(
              Math.max(2, cores), Thread.ofPlatform().daemon().name("hash-", 0).factory()),
          Executors.newFixedThreadPool(
              Math.max(4, cores), Thread.ofPlatform().daemon().name("transfer-", 0).factory()),
          Clock.systemUTC(),
          Failpoints.NONE);
    }
  }

  /** Sync cannot go on without the user: a missing folder, a mass delete, another account. */
  public static final class Paused extends RuntimeException {
    public Paused(String message) {
      super(message);
    }
  }

  /** What a run to convergence did. */
  public record Report(int rounds, int actions, int failed, Map<String, String> unsyncable) {}

  private static final int MAX_ROUNDS = 100;
  private static final int STUCK_ROUNDS = 5;
  private static final Duration RESCAN_WATCHED = Duration.ofMinutes(5);
  private static final Duration RESCAN_UNWATCHED = Duration.ofSeconds(30);

  private final ServerApi client;
  private final Options options;
  private final Environment environment;
  private final Clock clock;
  private final SyncIndex index;
  private final LocalScanner scanner;
  private final SyncExecutor executor;
  private final SyncLog log;
  private final LastProblem problems;
  private final ReadOnlyGuard guard;
  private String rootId;

  public SyncEngine(ServerApi client, Options options, SyncLog log) {
    this(client, options, log, Environment.standard());
  }

  public SyncEngine(ServerApi client, Options options, SyncLog log, Environment environment) {
    this.client = client;
    this.options = options;
    this.environment = environment;
    this.clock = environment.clock();
    this.log = this.problems = new LastProblem(log);
    this.index = SyncIndex.open(options.indexFile());
    this.scanner = new LocalScanner(options.root(), environment.hashing(), clock);
    this.executor =
        new SyncExecutor(
            options.root(),
            client,
            new Transfers(client, environment.transfers()),
            index,
            scanner,
            environment.actions(),
            environment.transfers(),
            this.log,
            clock,
            environment.failpoints());
    this.guard = new ReadOnlyGuard(options.root(), index, this.log, options.deviceName(), clock);
  }

  /**
   * The account's root folder id, learned from the server the first time (checking that this folder
   * has not synced with another account before); afterwards from the index, so a daemon started
   * while the server is unreachable waits for it instead of failing.
   */
  private String rootId() {
    if (rootId != null) {
      return rootId;
    }
    String known = index.meta("account").orElse(null);
    String root = index.meta("root").orElse(null);
    String server;
    try {
      server = client.server() + " " + client.account().id();
    } catch (UncheckedIOException offline) {
      if (root == null) {
        throw offline;
      }
      return root; // checked again on the next start that reaches the server
    }
    if (known != null && !known.equals(server)) {
      throw new Paused(
          "This folder syncs with another account or server ("
              + known
              + "); use another folder or $COFFER_HOME.");
    }
    if (root == null) {
      root = client.lookup("/").id();
      index.setMeta("account", server);
      index.setMeta("root", root);
    }
    rootId = root;
    return rootId;
  }

  /** Syncs until a plan is empty (or holds only names the server refuses). */
  public Report syncOnce() throws IOException {
    int actions = 0;
    int failed = 0;
    Map<String, String> unsyncable = Map.of();
    String rootId = rootId();
    int stuck = 0;
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      Map<String, Long> positions = pull();
      adoptLostAnswers(rootId);
      checkRoot();
      Map<String, SyncIndex.LocalRecord> known = index.localRecords();
      LocalScanner.Scan scan = scanner.scan(rootId, known);
      index.replaceLocal(known, scan.records());
      SyncTree remote = index.remote(rootId);
      SyncTree synced = index.synced(rootId);
      checkNotEmptied(scan, synced);
      if (guard.divert(remote, scan.tree(), synced)) {
        continue; // local changes in read-only shared folders were put aside: look again
      }
      List<SyncAction> plan =
          Planner.plan(
              remote,
              scan.tree(),
              synced,
              new PlanContext(options.deviceName(), clock.instant(), ZoneId.systemDefault()));
      checkDeletes(plan, synced);
      boolean onlyReports = plan.stream().allMatch(a -> a instanceof SyncAction.Unsyncable);
      SyncExecutor.Outcome outcome =
          executor.execute(
              new SyncExecutor.Plan(
                  plan,
                  remote,
                  scan.tree(),
                  synced,
                  scan.seen(),
                  scan.pathsById(),
                  scan.idsByPath(),
                  positions));
      unsyncable = new java.util.TreeMap<>(scan.problems());
      unsyncable.putAll(outcome.unsyncable());
      index.setProblems(unsyncable);
      if (onlyReports) {
        index.setMeta("state", unsyncable.isEmpty() ? "up to date" : "up to date, with problems");
        index.setMeta("lastSync", clock.instant().toString());
        index.setMeta("lastError", null);
        index.setMeta("pending", "0");
        return new Report(round, actions, failed, unsyncable);
      }
      actions += outcome.done();
      failed += outcome.failed();
      index.setMeta("state", "syncing");
      index.setMeta("pending", String.valueOf(outcome.failed()));
      log.action(
          "…",
          "round "
              + round
              + ": "
              + outcome.done()
              + " done"
              + (outcome.failed() > 0 ? ", " + outcome.failed() + " to retry" : "")
              + " ("
              + plan.size()
              + " planned)");
      if (outcome.done() == 0 && outcome.failed() > 0) {
        // Nothing went through: a full disk, a file that cannot be read or written. A few tries
        // cover a passing conflict; after that sync pauses and says why, deleting nothing.
        if (++stuck >= STUCK_ROUNDS) {
          throw new Paused(
              outcome.failed()
                  + " change(s) keep failing ("
                  + problems.last()
                  + "); sync is paused and tries again later");
        }
        pause(Duration.ofMillis(200L * Math.min(round, 10)));
      } else {
        stuck = 0;
      }
    }
    throw new Paused("sync did not settle after " + MAX_ROUNDS + " rounds; it will try again");
  }

  /**
   * Runs until {@code stop} is set: syncs, then waits for a change on either side (or a periodic
   * rescan), with exponential backoff and jitter while the server cannot be reached.
   */
  public void run(java.util.concurrent.atomic.AtomicBoolean stop) throws InterruptedException {
    // A daemon lives long: compile the hashing code now, off the path of the first real edit.
    Thread.ofPlatform()
        .daemon()
        .name("warm-up")
        .priority(Thread.MIN_PRIORITY)
        .start(() -> coffer.client.LocalChunks.warmUp(environment.hashing()));
    try (ChangeSignals signals = new ChangeSignals(client, options.root(), index)) {
      Duration backoff = Duration.ofSeconds(1);
      while (!stop.get()) {
        try {
          Report report = syncOnce();
          index.setMeta(CONFIRMED, null); // a confirmation covers the deletes it was given for
          if (report.actions() > 0 || report.failed() > 0) {
            log.action("✓", "in sync (" + report.actions() + " changes)");
          }
          backoff = Duration.ofSeconds(1);
          // The watcher and the feed wake the loop; the periodic rescan is a safety net for what
          // they miss, rare while the watcher works.
          signals.awaitChange(signals.watching() ? RESCAN_WATCHED : RESCAN_UNWATCHED);
        } catch (Paused e) {
          index.setMeta("state", "paused");
          index.setMeta("lastError", e.getMessage());
          log.problem("", e.getMessage());
          // A change on either side, or the user confirming from another terminal, resumes.
          for (int second = 0; second < 30 && !deletesConfirmed(); second++) {
            if (signals.awaitChange(Duration.ofSeconds(1))) {
              break;
            }
          }
        } catch (UncheckedIOException | ApiException | IOException e) {
          if (e instanceof ApiException api && api.status() == 401) {
            index.setMeta("state", "signed out");
            index.setMeta("lastError", e.getMessage());
            throw new Paused(
                "This device was signed out (" + e.getMessage() + "); run 'coffer login' again.");
          }
          index.setMeta("state", "offline");
          index.setMeta("lastError", String.valueOf(e.getMessage()));
          log.problem("", "cannot sync now (" + e.getMessage() + "); retrying");
          long jitter = ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1);
          Thread.sleep(backoff.toMillis() + jitter);
          backoff =
              backoff.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0
                  ? Duration.ofMinutes(1)
                  : backoff.multipliedBy(2);
        }
      }
    }
  }

  /** Reads the change feed until caught up; returns this device's position in each namespace. */
  private Map<String, Long> pull() {
    String cursor = index.meta("cursor").orElse(null);
    boolean fresh = cursor == null;
    while (true) {
      ChangesPage page;
      try {
        page = client.changes(cursor);
      } catch (ApiException e) {
        if (!"invalid-cursor".equals(e.type()) || cursor == null) {
          throw e;
        }
        // The server no longer knows this position (restored from a backup, or reset): read it
        // afresh, and forget what both sides last agreed on, so that what the server lacks now
        // is uploaded again rather than taken for a deletion; both sides then merge as a first
        // sync does (same content: one file; different: a conflicted copy).
        log.problem("", "the server no longer knows this device's position; starting over");
        index.restart();
        cursor = null;
        fresh = true;
        continue;
      }
      index.applyFeed(page.entries(), page.cursor(), fresh);
      fresh = false;
      cursor = page.cursor();
      if (!page.hasMore()) {
        return page.positions() == null ? Map.of() : page.positions();
      }
    }
  }

  /**
   * An upload whose answer was lost (the server stopped, the connection broke) may have landed all
   * the same. Once the feed is read, a file holding exactly the content this device sent, where it
   * sent it, is this device's own upload: both sides agree on it, so a later local edit is an edit
   * of it and not a conflict with it. An upload that did not land is simply planned again.
   */
  private void adoptLostAnswers(String rootId) {
    List<SyncIndex.Sent> sent = index.sent();
    if (sent.isEmpty()) {
      return;
    }
    SyncTree remote = index.remote(rootId);
    SyncTree synced = index.synced(rootId);
    List<String> settled = new java.util.ArrayList<>();
    for (SyncIndex.Sent s : sent) {
      settled.add(s.record().path());
      SyncItem landed =
          (s.name() == null
                  ? remote.get(s.formerId())
                  : remote.childByKey(s.parentId(), coffer.core.name.NodeName.key(s.name())))
              .orElse(null);
      if (landed == null || landed.isFolder() || !s.record().content().equals(landed.content())) {
        continue;
      }
      SyncItem before = synced.get(landed.id()).orElse(null);
      if (before != null && landed.content().equals(before.content())) {
        continue; // the answer was recorded after all
      }
      if (before == null && s.name() == null) {
        continue; // an edit of a node no longer agreed on: the planner sorts it out
      }
      // An edit agrees on the new content only: where the file is stays as both sides last agreed.
      SyncItem agreed =
          before == null ? landed : before.withContent(landed.content(), landed.revision());
      index.recordSynced(agreed, false, s.formerId(), s.record().withId(landed.id()));
    }
    index.clearSent(settled);
  }

  private void checkRoot() {
    if (!Files.isDirectory(options.root())) {
      throw new Paused(
          "The sync folder "
              + options.root()
              + " is missing (moved, deleted or not mounted); sync is paused so nothing is deleted"
              + " on the server. Put it back, or start over with an empty folder elsewhere.");
    }
  }

  private void checkNotEmptied(LocalScanner.Scan scan, SyncTree synced) {
    if (scan.tree().size() == 0 && synced.size() > 0) {
      throw new Paused(
          "The sync folder "
              + options.root()
              + " is empty although "
              + synced.size()
              + " items were in sync; sync is paused so nothing is deleted on the server."
              + " If you really emptied it, delete the items on the server (coffer rm).");
    }
  }

  private void checkDeletes(List<SyncAction> plan, SyncTree synced) {
    if (options.confirmDeletes() || deletesConfirmed()) {
      return;
    }
    long deletes = 0;
    for (SyncAction action : plan) {
      if (action instanceof SyncAction.RemoteDelete d) {
        deletes += 1 + descendants(synced, d.id());
      }
    }
    // A few deletes in a small folder never ask; beyond that, more than the threshold or half
    // the folder at once does.
    long threshold = Math.max(10, Math.min(options.deleteThreshold(), synced.size() / 2));
    if (deletes > threshold) {
      throw new Paused(
          "This would delete "
              + deletes
              + " items on the server, more than "
              + threshold
              + " at once; sync is paused. If that is what you meant, run: coffer sync "
              + options.root()
              + " --confirm-deletes");
    }
  }

  private static long descendants(SyncTree tree, String id) {
    long n = 0;
    for (SyncItem child : tree.children(id)) {
      n += 1 + descendants(tree, child.id());
    }
    return n;
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Passes every line on, remembering the last problem for a paused sync's message. */
  private static final class LastProblem implements SyncLog {
    private final SyncLog log;
    private volatile String last = "no details";

    LastProblem(SyncLog log) {
      this.log = log;
    }

    String last() {
      return last;
    }

    @Override
    public void action(String symbol, String path) {
      log.action(symbol, path);
    }

    @Override
    public void problem(String path, String message) {
      last = path.isEmpty() ? message : path + ": " + message;
      log.problem(path, message);
    }

    @Override
    public void progress(int finished, int planned, long bytes) {
      log.progress(finished, planned, bytes);
    }
  }

  /**
   * Lets a running sync go ahead with a plan that deletes many items (for the next ten minutes):
   * what {@code coffer sync DIR --confirm-deletes} does when a daemon already syncs DIR.
   */
  public static void confirmDeletes(Path indexFile) {
    try (SyncIndex index = SyncIndex.open(indexFile)) {
      index.setMeta(CONFIRMED, Instant.now().toString());
    }
  }

  private static final String CONFIRMED = "deletesConfirmedAt";
  private static final Duration CONFIRMATION_LASTS = Duration.ofMinutes(10);

  private boolean deletesConfirmed() {
    return index
        .meta(CONFIRMED)
        .map(Instant::parse)
        .filter(at -> at.plus(CONFIRMATION_LASTS).isAfter(Instant.now()))
        .isPresent();
  }

  @Override
  public void close() {
    environment.actions().shutdownNow();
    environment.hashing().shutdownNow();
    environment.transfers().shutdownNow();
    index.close();
  }
}
