package coffer.client.sync;

import coffer.client.ApiException;
import coffer.client.LocalChunks;
import coffer.client.Progress;
import coffer.client.ServerApi;
import coffer.client.Transfers;
import coffer.client.sync.SyncIndex.LocalRecord;
import coffer.core.api.BatchOperation;
import coffer.core.api.BatchResult;
import coffer.core.api.Contents;
import coffer.core.api.FileMetadata;
import coffer.core.api.UploadMetadata;
import coffer.core.model.NodeKind;
import coffer.core.sync.SyncAction;
import coffer.core.sync.SyncItem;
import coffer.core.sync.SyncTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Carries out one plan: server-side operations travel in batch commits (small files inline), larger
 * files through the chunked upload, downloads and local changes run concurrently on a bounded pool.
 * Each completion is recorded in the index in its own transaction, so a crash loses at most the
 * actions in flight, which the next round plans again. A local change is made only when the disk
 * still shows what the plan saw, so bytes a user wrote meanwhile are never overwritten.
 */
final class SyncExecutor {

  /** Files up to this size travel inline in a batch commit; larger ones are chunked. */
  static final long INLINE_LIMIT = 1 << 20;

  private static final int BATCH_OPERATIONS = 500;

  /**
   * The most downloads asked for together: small files come whole in one exchange (larger ones are
   * refused there and fetched on their own), several groups at once on the pool.
   */
  private static final int WHOLE_FILES = 64;

  private static final long BATCH_BYTES = 16 << 20;

  /** The state a plan was made from. */
  record Plan(
      List<SyncAction> actions,
      SyncTree remote,
      SyncTree local,
      SyncTree synced,
      Map<String, LocalRecord> seen,
      Map<String, String> pathsById,
      Map<String, String> idsByPath,
      Map<String, Long> positions) {

    String pathOf(String id) {
      return pathsById.get(id);
    }
  }

  /** What one plan's execution did. */
  record Outcome(int done, int failed, Map<String, String> unsyncable) {}

  private final Path root;
  private final ServerApi client;
  private final Transfers transfers;
  private final java.time.Clock clock;
  private final Failpoints failpoints;
  private final SyncIndex index;
  private final LocalScanner scanner;
  private final ExecutorService pool;

  /** Where batches are posted from, so the next one is prepared while one is on its way. */
  private final ExecutorService sender;

  private final SyncLog log;

  /** The chunk locator of the current plan, built when a download first needs it. */
  private volatile Map<String, Transfers.Span> located;

  /** How far the current plan has come, told to the log. */
  private volatile Tally tally = new Tally(0);

  /** Folders that downloads of the current plan renamed files into. */
  private final Set<Path> written = ConcurrentHashMap.newKeySet();

  SyncExecutor(
      Path root,
      ServerApi client,
      Transfers transfers,
      SyncIndex index,
      LocalScanner scanner,
      ExecutorService pool,
      ExecutorService sender,
      SyncLog log,
      java.time.Clock clock,
      Failpoints failpoints) {
    this.failpoints = failpoints;
    this.root = root;
    this.client = client;
    this.transfers = transfers;
    this.clock = clock;
    this.index = index;
    this.scanner = scanner;
    this.pool = pool;
    this.sender = sender;
    this.log = log;
  }

  Outcome execute(Plan plan) {
    tally =
        new Tally(
            (int)
                plan.actions().stream().filter(a -> !(a instanceof SyncAction.Unsyncable)).count());
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Map<String, String> unsyncable = new ConcurrentHashMap<>();
    List<Remote> batched = new ArrayList<>();
    List<Future<?>> running = new ArrayList<>();
    List<SyncAction.LocalWrite> writes = new ArrayList<>();
    for (SyncAction action : plan.actions()) {
      switch (action) {
        case SyncAction.Unsyncable u -> unsyncable.put(u.path(), u.reason());
        case SyncAction.RemoteUpload u when size(plan, u.localId()) > INLINE_LIMIT ->
            running.add(pool.submit(() -> count(() -> uploadChunked(plan, u), done, failed)));
        case SyncAction.RemoteMkdir m -> batched.add(new Remote(m, mkdir(m)));
        case SyncAction.RemoteUpload u -> batched.add(new Remote(u, null));
        case SyncAction.RemoteMove m -> batched.add(new Remote(m, move(m)));
        case SyncAction.RemoteDelete d -> batched.add(new Remote(d, delete(d, plan)));
        case SyncAction.LocalWrite w when replacesLarge(plan, w) ->
            running.add(pool.submit(() -> count(() -> write(plan, w), done, failed)));
        case SyncAction.LocalWrite w -> writes.add(w);
        default -> running.add(pool.submit(() -> count(() -> local(plan, action), done, failed)));
      }
    }
    // Groups small enough that a few files still spread over the pool, large enough that many
    // files take few exchanges.
    int perGroup = Math.clamp((writes.size() + 15) / 16, 4, WHOLE_FILES);
    java.util.Queue<SyncAction.LocalWrite> alone =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    for (int from = 0; from < writes.size(); from += perGroup) {
      List<SyncAction.LocalWrite> group =
          writes.subList(from, Math.min(writes.size(), from + perGroup));
      running.add(pool.submit(() -> writeAll(plan, group, alone, done, failed)));
    }
    try {
      sendBatches(plan, batched, done, failed, unsyncable);
    } finally {
      // Even when the server cannot be reached, let the local actions finish before the next
      // round reads the index they write.
      awaitAll(running, failed);
      // Then the downloads the contents exchanges left to go one by one, side by side.
      List<Future<?>> rest = new ArrayList<>();
      for (SyncAction.LocalWrite w : alone) {
        rest.add(pool.submit(() -> count(() -> write(plan, w), done, failed)));
      }
      awaitAll(rest, failed);
    }
    // Downloads rename into place without a directory fsync each; one per folder makes them all
    // durable. Until then a power cut can only lose a rename, which the next round does again.
    for (Path dir : written) {
      try {
        Transfers.syncDirectory(dir);
      } catch (IOException e) {
        log.problem("", "cannot flush " + dir + ": " + e.getMessage());
      }
    }
    written.clear();
    located = null;
    return new Outcome(done.get(), failed.get(), Map.copyOf(unsyncable));
  }

  private void awaitAll(List<Future<?>> futures, AtomicInteger failed) {
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (ExecutionException e) {
        failed.incrementAndGet();
        log.problem("", String.valueOf(e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private interface Step {
    boolean run() throws IOException;
  }

  private void count(Step step, AtomicInteger done, AtomicInteger failed) {
    try {
      if (step.run()) {
        done.incrementAndGet();
      } else {
        failed.incrementAndGet();
      }
    } catch (IOException | UncheckedIOException | ApiException e) {
      failed.incrementAndGet();
      log.problem("", e.getMessage());
    } finally {
      tally.finished(0);
    }
  }

  /** A plan's progress: actions over, of those planned, and bytes moved. */
  private final class Tally {
    private final int planned;
    private final AtomicInteger finished = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bytes =
        new java.util.concurrent.atomic.AtomicLong();

    Tally(int planned) {
      this.planned = planned;
    }

    void finished(long moved) {
      log.progress(finished.incrementAndGet(), planned, bytes.addAndGet(moved));
    }

    /** One transfer's progress (its bytes so far), added to the plan's. */
    Progress transfer() {
      return new Progress() {
        private long told;

        @Override
        public synchronized void update(long done, long total) {
          long moved = done - told;
          told = done;
          log.progress(finished.get(), planned, bytes.addAndGet(moved));
        }
      };
    }
  }

  // --- server-side operations ------------------------------------------------------------------

  private record Remote(SyncAction action, BatchOperation operation) {}

  private static BatchOperation op(
      String op, String id, String parentId, String name, String base, Long baseSeq, String data) {
    return new BatchOperation(
        coffer.core.model.Ids.newId(),
        op,
        id,
        null,
        parentId,
        name,
        null,
        null,
        base,
        baseSeq,
        null,
        data,
        null);
  }

  private static BatchOperation mkdir(SyncAction.RemoteMkdir m) {
    return op("mkdir", null, m.parentId(), m.name(), null, null, null);
  }

  private static BatchOperation move(SyncAction.RemoteMove m) {
    return op("move", m.id(), m.parentId(), m.name(), null, null, null);
  }

  private BatchOperation delete(SyncAction.RemoteDelete d, Plan plan) {
    // A folder goes only if nothing in it changed beyond what this device has read of the
    // namespace it is in (the home, or a shared folder's).
    String ns = d.baseRevision() == null ? index.namespaceOf(d.id()) : null;
    Long seq = ns == null ? null : plan.positions().get(ns);
    return op("delete", d.id(), null, null, d.baseRevision(), seq, null);
  }

  private BatchOperation upload(Plan plan, SyncAction.RemoteUpload u) throws IOException {
    byte[] data = Files.readAllBytes(root.resolve(plan.pathOf(u.localId())));
    String encoded = Base64.getEncoder().encodeToString(data);
    return u.baseRevision() == null
        ? op("put", null, u.parentId(), u.name(), null, null, encoded)
        : op("put", u.localId(), null, null, u.baseRevision(), null, encoded);
  }

  private void sendBatches(
      Plan plan,
      List<Remote> batched,
      AtomicInteger done,
      AtomicInteger failed,
      Map<String, String> unsyncable) {
    // One batch at a time reaches the server, in order; while it is there, the next one is read
    // and encoded and the answers to the one before are recorded.
    Posted posted = null;
    List<Remote> batch = new ArrayList<>();
    long bytes = 0;
    for (Remote remote : batched) {
      Remote ready = remote;
      if (remote.action() instanceof SyncAction.RemoteUpload u) {
        try {
          ready = new Remote(u, upload(plan, u));
        } catch (IOException e) {
          failed.incrementAndGet();
          log.problem(plan.pathOf(u.localId()), "cannot read: " + e.getMessage());
          continue;
        }
        bytes += ready.operation().data().length();
      }
      batch.add(ready);
      if (batch.size() >= BATCH_OPERATIONS || bytes >= BATCH_BYTES) {
        posted = post(plan, posted, batch, done, failed, unsyncable);
        batch = new ArrayList<>();
        bytes = 0;
      }
    }
    if (!batch.isEmpty()) {
      posted = post(plan, posted, batch, done, failed, unsyncable);
    }
    if (posted != null) {
      record(plan, posted.batch(), answersTo(posted.answers()), done, failed, unsyncable);
    }
  }

  /** A batch on its way to the server, and the answers it will bring. */
  private record Posted(List<Remote> batch, Future<List<BatchResult>> answers) {}

  /**
   * Posts {@code batch} once the {@code previous} one is answered, then records that answer while
   * this one is on its way.
   */
  private Posted post(
      Plan plan,
      Posted previous,
      List<Remote> batch,
      AtomicInteger done,
      AtomicInteger failed,
      Map<String, String> unsyncable) {
    List<BatchResult> answered = previous == null ? null : answersTo(previous.answers());
    index.noteSent(
        batch.stream()
            .map(Remote::action)
            .filter(a -> a instanceof SyncAction.RemoteUpload)
            .map(a -> sent(plan, (SyncAction.RemoteUpload) a))
            .filter(java.util.Objects::nonNull)
            .toList());
    List<BatchOperation> operations = batch.stream().map(Remote::operation).toList();
    Posted now = new Posted(batch, sender.submit(() -> client.batch(operations)));
    if (previous != null) {
      try {
        record(plan, previous.batch(), answered, done, failed, unsyncable);
      } catch (RuntimeException e) {
        // Not left running unseen: its answer, if any, is read by the next round from the feed.
        now.answers().cancel(false);
        throw e;
      }
    }
    return now;
  }

  /** The server's answers to a posted batch; its failure as the exception that failed it. */
  private static List<BatchResult> answersTo(Future<List<BatchResult>> answers) {
    try {
      return answers.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Records the answers to a batch: the synced tree for each success, the log for the rest. */
  private void record(
      Plan plan,
      List<Remote> batch,
      List<BatchResult> results,
      AtomicInteger done,
      AtomicInteger failed,
      Map<String, String> unsyncable) {
    List<String> answered = new ArrayList<>();
    index.together(
        () -> {
          for (int i = 0; i < batch.size(); i++) {
            SyncAction action = batch.get(i).action();
            BatchResult result = results.get(i);
            if (action instanceof SyncAction.RemoteUpload u) {
              answered.add(plan.pathOf(u.localId()));
            }
            if (result.status() >= 300) {
              failed.incrementAndGet();
              tally.finished(0);
              String path = describe(plan, action);
              if (result.problem() != null && result.problem().type().endsWith("/invalid-name")) {
                unsyncable.put(path, result.problem().detail());
              } else {
                // A conflict or a vanished node: the next round reads the feed and plans again.
                log.problem(path, result.problem() == null ? "refused" : result.problem().detail());
              }
              continue;
            }
            recordRemote(plan, action, result.file());
            done.incrementAndGet();
            tally.finished(
                action instanceof SyncAction.RemoteUpload u ? size(plan, u.localId()) : 0);
          }
          index.clearSent(answered);
        });
  }

  /**
   * What to note before sending {@code u}: should its answer be lost, the next round can tell from
   * the feed whether the server took it (see {@link SyncIndex#sent()}).
   */
  private static SyncIndex.Sent sent(Plan plan, SyncAction.RemoteUpload u) {
    String path = plan.pathOf(u.localId());
    LocalRecord seen = path == null ? null : plan.seen().get(path);
    if (seen == null || seen.content() == null) {
      return null;
    }
    boolean created = u.baseRevision() == null;
    return new SyncIndex.Sent(
        u.localId(), created ? u.parentId() : null, created ? u.name() : null, seen);
  }

  private String describe(Plan plan, SyncAction action) {
    return switch (action) {
      case SyncAction.RemoteMkdir m -> plan.pathOf(m.localId());
      case SyncAction.RemoteUpload u -> plan.pathOf(u.localId());
      case SyncAction.RemoteMove m -> plan.pathOf(m.id());
      case SyncAction.RemoteDelete d -> plan.synced().path(d.id());
      default -> action.toString();
    };
  }

  private boolean uploadChunked(Plan plan, SyncAction.RemoteUpload u) {
    String path = plan.pathOf(u.localId());
    SyncIndex.Sent note = sent(plan, u);
    index.noteSent(note == null ? List.of() : List.of(note));
    coffer.client.PutResult put =
        transfers.put(
            root.resolve(path),
            new UploadMetadata(null, u.parentId(), u.name(), null, u.baseRevision()),
            tally.transfer(),
            knownChunks(plan, path, u.content()));
    recordRemote(plan, u, put.file());
    index.clearSent(List.of(path));
    if (put.chunksSent() < put.chunks()) {
      log.action(
          " ",
          path
              + " ("
              + put.chunksSent()
              + " of "
              + put.chunks()
              + " chunks sent, "
              + put.bytesSent()
              + " bytes; the server had the rest)");
    }
    return true;
  }

  /** Records a server-side success in the synced tree (and the remote one, ahead of the feed). */
  private void recordRemote(Plan plan, SyncAction action, FileMetadata file) {
    switch (action) {
      case SyncAction.RemoteMkdir m -> {
        String path = plan.pathOf(m.localId());
        SyncItem item = SyncItem.folder(file.id(), m.parentId(), m.name());
        index.recordSynced(item, true, m.localId(), seenAs(plan, path, file.id()));
        log.action("+", path + "/");
      }
      case SyncAction.RemoteUpload u -> {
        String path = plan.pathOf(u.localId());
        SyncItem before = plan.synced().get(u.localId()).orElse(null);
        SyncItem item =
            new SyncItem(
                file.id(),
                before != null && u.baseRevision() != null ? before.parentId() : u.parentId(),
                before != null && u.baseRevision() != null ? before.name() : u.name(),
                NodeKind.FILE,
                file.contentHash(),
                file.revision());
        index.recordSynced(item, true, u.localId(), seenAs(plan, path, file.id()));
        log.action("↑", path);
      }
      case SyncAction.RemoteMove m -> {
        SyncItem before = plan.synced().get(m.id()).orElseThrow();
        index.recordSynced(before.withLocation(m.parentId(), m.name()), true, null, null);
        log.action("→", plan.pathOf(m.id()));
      }
      case SyncAction.RemoteDelete d -> {
        index.forget(d.id(), true);
        log.action("✗", plan.synced().path(d.id()));
      }
      default -> throw new IllegalArgumentException("not a server-side action: " + action);
    }
  }

  /** The scan's chunk list of the file at {@code path}, if it is for {@code content}. */
  private static List<coffer.core.api.ChunkInfo> knownChunks(
      Plan plan, String path, String content) {
    LocalRecord seen = plan.seen().get(path);
    return seen != null && seen.chunks() != null && content.equals(seen.content())
        ? LocalChunks.decode(seen.chunks())
        : null;
  }

  /**
   * The chunk locator: where on disk, by the last scan, a chunk with a given hash can be read, in
   * any file of the folder. Built once per plan, on first use; the download verifies every chunk it
   * copies from there, so a file changed since the scan only means the chunk is fetched.
   */
  private Transfers.ChunkSource locator(Plan plan) {
    Map<String, Transfers.Span> byHash = located;
    if (byHash == null) {
      Map<String, Transfers.Span> built = new java.util.HashMap<>();
      for (LocalRecord r : plan.seen().values()) {
        long offset = 0;
        for (coffer.core.api.ChunkInfo chunk : LocalChunks.decode(r.chunks())) {
          built.putIfAbsent(
              chunk.hash(), new Transfers.Span(root.resolve(r.path()), offset, chunk.length()));
          offset += chunk.length();
        }
      }
      located = byHash = built;
    }
    return byHash::get;
  }

  private static LocalRecord seenAs(Plan plan, String path, String id) {
    LocalRecord seen = plan.seen().get(path);
    return seen == null ? null : seen.withId(id);
  }

  private long size(Plan plan, String localId) {
    String path = plan.pathOf(localId);
    LocalRecord seen = path == null ? null : plan.seen().get(path);
    return seen == null ? 0 : seen.size();
  }

  // --- local operations ------------------------------------------------------------------------

  private boolean local(Plan plan, SyncAction action) throws IOException {
    return switch (action) {
      case SyncAction.LocalMkdir m -> {
        Path dir = root.resolve(m.path());
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
          yield false;
        }
        Files.createDirectories(dir);
        failpoints.reach("folder made, not recorded");
        SyncItem item = SyncItem.folder(m.id(), parentIdOf(plan, m.path()), nameOf(m.path()));
        index.recordSynced(item, false, null, scanner.observe(m.path(), m.id()));
        log.action("+", m.path() + "/");
        yield true;
      }
      case SyncAction.LocalMove m -> {
        Path from = root.resolve(m.fromPath());
        Path to = root.resolve(m.toPath());
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
          yield false;
        }
        try {
          Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
          yield false;
        }
        if (Files.exists(from, LinkOption.NOFOLLOW_LINKS) && !sameFile(from, to)) {
          yield false;
        }
        failpoints.reach("moved, not recorded");
        index.moveLocal(m.fromPath(), m.toPath());
        failpoints.reach("move half recorded");
        SyncItem before = plan.synced().get(m.id()).orElse(plan.remote().get(m.id()).orElseThrow());
        index.recordSynced(
            before.withLocation(parentIdOf(plan, m.toPath()), nameOf(m.toPath())),
            false,
            null,
            null);
        log.action("→", m.fromPath() + " → " + m.toPath());
        yield true;
      }
      case SyncAction.LocalDelete d -> deleteLocal(plan, d);
      case SyncAction.ConflictCopy c -> {
        Path from = root.resolve(c.path());
        Path to = root.resolve(c.copyPath());
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
          yield false;
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        failpoints.reach("conflicted copy made, not recorded");
        index.removeLocal(c.path());
        index.recordConflict(c.path(), c.copyPath(), clock.instant().toString());
        log.action("!", c.path() + " kept as " + c.copyPath());
        yield true;
      }
      case SyncAction.RecordSynced r -> {
        SyncItem item = plan.remote().get(r.id()).orElseThrow();
        String path = plan.pathOf(r.localId());
        index.recordSynced(
            item, false, r.localId(), path == null ? null : seenAs(plan, path, r.id()));
        yield true;
      }
      case SyncAction.Forget f -> {
        index.forget(f.id(), false);
        yield true;
      }
      default -> throw new IllegalArgumentException("not a local action: " + action);
    };
  }

  /**
   * Whether {@code w} replaces a local file too large to come whole: its new version most likely is
   * too, and shares most chunks with it, so it goes straight to the download that reuses them
   * rather than through a contents request the server would refuse.
   */
  private static boolean replacesLarge(Plan plan, SyncAction.LocalWrite w) {
    LocalRecord seen = w.expectedContent() == null ? null : plan.seen().get(w.path());
    return seen != null && seen.size() > Contents.MAX_FILE_SIZE;
  }

  /**
   * Writes a group of files: those the server sends whole (the small ones) in one exchange, each
   * placed as it arrives. Any it holds back, or all it did not answer when the exchange fails, go
   * to {@code alone}, to be downloaded one by one once every group is done.
   */
  private void writeAll(
      Plan plan,
      List<SyncAction.LocalWrite> group,
      java.util.Queue<SyncAction.LocalWrite> alone,
      AtomicInteger done,
      AtomicInteger failed) {
    int[] answered = {0};
    // The group's files are recorded together, in one index transaction, once all are in place.
    List<Runnable> records = new ArrayList<>();
    try {
      client.contents(
          group.stream().map(w -> new Contents.Ref(w.id(), w.revision())).toList(),
          (header, data) -> {
            if (answered[0] >= group.size()) {
              throw new IOException("the server sent more files than were asked for");
            }
            SyncAction.LocalWrite w = group.get(answered[0]++);
            if (data == null || !w.id().equals(header.id()) || header.chunks() == null) {
              alone.add(w); // too large to come whole, or gone: its own download says which
              return;
            }
            try {
              count(
                  () -> {
                    records.add(writeWhole(plan, w, header, data));
                    return true;
                  },
                  done,
                  failed);
            } catch (RuntimeException e) {
              failed.incrementAndGet();
              log.problem(w.path(), String.valueOf(e));
            }
          });
    } catch (ApiException e) {
      if (e.status() != 404 && e.status() != 405) {
        log.problem("", "small files could not come together (" + e.getMessage() + "); one by one");
      } // else a server without this exchange: one by one, quietly
    } catch (IOException | RuntimeException e) {
      log.problem("", "small files could not come together (" + e.getMessage() + "); one by one");
    }
    alone.addAll(group.subList(Math.min(answered[0], group.size()), group.size()));
    index.together(() -> records.forEach(Runnable::run));
  }

  /** Puts a file that came whole in place; returns the step that records it. */
  private Runnable writeWhole(
      Plan plan, SyncAction.LocalWrite w, Contents.Header header, byte[] data) throws IOException {
    transfers.place(data, header.chunks(), w.content(), destination(plan, w));
    tally.transfer().update(data.length, data.length);
    return recording(plan, w, header.chunks(), "");
  }

  private boolean write(Plan plan, SyncAction.LocalWrite w) throws IOException {
    // A new version reuses the chunks the old one shares with it: only changed ones travel.
    Transfers.Downloaded downloaded =
        transfers.download(w.id(), w.revision(), destination(plan, w), tally.transfer());
    return placed(plan, w, downloaded.chunkList(), transferred(downloaded));
  }

  /**
   * Where a download of {@code w} goes: its path, replaced only while the disk still holds what the
   * plan saw there.
   */
  private Transfers.Destination destination(Plan plan, SyncAction.LocalWrite w) {
    Path target = root.resolve(w.path());
    LocalRecord seen = plan.seen().get(w.path());
    return new Transfers.Destination(
        target,
        hash -> locator(plan).locate(hash), // built only when a download first looks
        () -> {
          if (!stillAsPlanned(target, w.path(), seen, w.expectedContent())) {
            throw new IOException(w.path() + " changed meanwhile; it is left as it is");
          }
          failpoints.reach("download complete, not in place");
        },
        false);
  }

  /** Records a file a download put in place. */
  private boolean placed(
      Plan plan, SyncAction.LocalWrite w, List<coffer.core.api.ChunkInfo> chunks, String note)
      throws IOException {
    recording(plan, w, chunks, note).run();
    return true;
  }

  /**
   * What recording a file a download put in place takes: looked at now, recorded when the returned
   * step runs. Until then a crash only leaves a file that matches the server's, which the next
   * round finds and records.
   */
  private Runnable recording(
      Plan plan, SyncAction.LocalWrite w, List<coffer.core.api.ChunkInfo> chunks, String note)
      throws IOException {
    written.add(root.resolve(w.path()).getParent());
    failpoints.reach("download in place, not recorded");
    LocalRecord after =
        scanner.stat(w.path(), w.id(), w.content(), LocalChunks.ofList(chunks).encode());
    SyncItem item =
        w.expectedContent() == null
            ? SyncItem.file(
                w.id(), parentIdOf(plan, w.path()), nameOf(w.path()), w.content(), w.revision())
            : plan.synced()
                .get(w.id())
                .map(s -> s.withContent(w.content(), w.revision()))
                .orElse(
                    SyncItem.file(
                        w.id(),
                        parentIdOf(plan, w.path()),
                        nameOf(w.path()),
                        w.content(),
                        w.revision()));
    return () -> {
      index.recordSynced(item, false, null, after);
      log.action("↓", w.path() + note);
    };
  }

  private static String transferred(Transfers.Downloaded d) {
    if (d.chunks() <= 1 || d.chunksFetched() == d.chunks()) {
      return "";
    }
    return " ("
        + d.chunksFetched()
        + " of "
        + d.chunks()
        + " chunks fetched, "
        + d.bytesFetched()
        + " bytes; the rest reused)";
  }

  /** Whether the disk at {@code path} still holds what the plan expected there. */
  private boolean stillAsPlanned(Path file, String path, LocalRecord seen, String expected)
      throws IOException {
    if (expected == null) {
      return !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }
    LocalRecord now = scanner.stat(path, null, null, null);
    if (now == null || now.kind() != NodeKind.FILE) {
      return false;
    }
    if (seen != null
        && seen.size() == now.size()
        && seen.mtime() == now.mtime()
        && Objects.equals(seen.fileKey(), now.fileKey())
        && expected.equals(seen.content())) {
      return true;
    }
    LocalRecord hashed = scanner.observe(path, null);
    return hashed != null && expected.equals(hashed.content());
  }

  private boolean deleteLocal(Plan plan, SyncAction.LocalDelete d) throws IOException {
    Path target = root.resolve(d.path());
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      index.forget(d.id(), false);
      index.removeLocal(d.path());
      return true;
    }
    if (d.expectedContent() != null) {
      if (!stillAsPlanned(target, d.path(), plan.seen().get(d.path()), d.expectedContent())) {
        return false;
      }
      Files.delete(target);
    } else if (!deleteFolder(plan, d.path())) {
      return false;
    }
    failpoints.reach("deleted, not recorded");
    index.forget(d.id(), false);
    index.removeLocal(d.path());
    log.action("✗", d.path());
    return true;
  }

  /**
   * Deletes a folder whose every file still holds the synced content; anything new or changed in it
   * stops the delete (and stays), since an edit beats a delete.
   */
  private boolean deleteFolder(Plan plan, String path) throws IOException {
    Path dir = root.resolve(path);
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      String rel = root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
      LocalRecord seen = plan.seen().get(rel);
      String id = seen == null ? null : seen.id();
      String synced = id == null ? null : plan.synced().get(id).map(SyncItem::content).orElse(null);
      if (synced == null || !stillAsPlanned(p, rel, seen, synced)) {
        return false;
      }
    }
    for (Path p : all) {
      try {
        Files.delete(p);
      } catch (DirectoryNotEmptyException e) {
        return false; // something appeared meanwhile: it stays
      }
    }
    return true;
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static String parentIdOf(Plan plan, String path) {
    int slash = path.lastIndexOf('/');
    if (slash < 0) {
      return plan.local().rootId();
    }
    String parent = plan.idsByPath().get(path.substring(0, slash));
    if (parent == null) {
      throw new IllegalStateException("no local folder above " + path);
    }
    return parent;
  }

  private static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
