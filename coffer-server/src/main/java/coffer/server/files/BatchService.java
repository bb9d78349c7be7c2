package coffer.server.files;

import coffer.core.api.BatchOperation;
import coffer.core.api.CreateFolderRequest;
import coffer.core.api.FileMetadata;
import coffer.core.api.MoveRequest;
import coffer.core.api.UploadMetadata;
import coffer.core.error.BadRequestException;
import coffer.core.error.CofferException;
import coffer.core.manifest.Manifest;
import coffer.server.auth.Principal;
import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.MetadataTransaction;
import coffer.server.metadata.OperationRecords.Applied;
import coffer.server.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batch commits: many tree operations in one request, applied in order, each with its own outcome,
 * so syncing thousands of small files costs a few round trips and one durable commit per hundred
 * operations instead of one per file. Each operation runs in its own savepoint: a refused one
 * changes nothing and the others still apply. An operation id makes a retry safe: the operation and
 * the record of it land in the same transaction, so a retried batch (say, after a crash between two
 * of its transactions) answers what was done instead of doing it again.
 */
public final class BatchService {

  /** The most operations one batch may carry. */
  public static final int MAX_OPERATIONS = 10_000;

  /** The largest file whose content may travel inline, base64-encoded, in a batch. */
  public static final int MAX_INLINE_BYTES = 4 << 20;

  /** How long applied operation ids are remembered for retries. */
  public static final Duration OPERATION_MEMORY = Duration.ofDays(7);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BatchService.class);
  private static final int MAX_OP_ID = 200;
  private static final int PREPARE_PARALLELISM = 64;

  /**
   * Operations per transaction. A batch is applied a slice at a time so storing the content of one
   * slice overlaps committing the one before; each operation has its own outcome either way.
   */
  private static final int SLICE = 100;

  private final MetadataStore store;
  private final FileService files;
  private final UploadService uploads;
  private final ContentIngest ingest;
  private final Notifier notifier;
  private final Clock clock;

  public BatchService(
      MetadataStore store,
      FileService files,
      UploadService uploads,
      ContentIngest ingest,
      Notifier notifier,
      Clock clock) {
    this.store = store;
    this.files = files;
    this.uploads = uploads;
    this.ingest = ingest;
    this.notifier = notifier;
    this.clock = clock;
  }

  /** What became of one operation. */
  public sealed interface Outcome {
    String opId();
  }

  /**
   * The operation applied: {@code created} when it made a new node; {@code replayed} when its id
   * had been applied before and nothing was done this time.
   */
  public record Done(String opId, FileMetadata file, boolean created, boolean replayed)
      implements Outcome {}

  /** The operation was refused and changed nothing. */
  public record Refused(String opId, CofferException problem) implements Outcome {}

  /** Applies {@code operations} in order and answers one outcome for each, in the same order. */
  public List<Outcome> apply(Principal p, List<BatchOperation> operations) {
    if (operations == null || operations.isEmpty()) {
      throw new BadRequestException("missing-operations", "Give a non-empty 'operations' list.");
    }
    if (operations.size() > MAX_OPERATIONS) {
      throw new BadRequestException(
          "too-many-operations", "A batch holds at most " + MAX_OPERATIONS + " operations.");
    }
    // A slice at a time: its content stored first, outside any transaction, so chunks are durable
    // before metadata points at them; then its operations in one transaction, while the next
    // slice's content is being stored.
    Instant now = clock.instant();
    Map<String, Long> published = new HashMap<>();
    List<Outcome> outcomes = new ArrayList<>(operations.size());
    try (var slices = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      java.util.concurrent.Future<List<Object>> next =
          slices.submit(() -> prepareAll(p, slice(operations, 0)));
      for (int from = 0; from < operations.size(); from += SLICE) {
        List<BatchOperation> slice = slice(operations, from);
        List<Object> prepared = preparedBy(next);
        int following = from + SLICE;
        if (following < operations.size()) {
          next = slices.submit(() -> prepareAll(p, slice(operations, following)));
        }
        // Hints of this slice's changes count only once its transaction has committed.
        Map<String, Long> hints = new HashMap<>();
        outcomes.addAll(store.write(tx -> applyAll(tx, p, slice, prepared, now, hints)));
        hints.forEach((namespace, seq) -> published.merge(namespace, seq, Math::max));
      }
    } finally {
      // What committed is announced even when a later slice failed.
      published.forEach(notifier::publish);
    }
    return outcomes;
  }

  /** The operations of the slice that starts at {@code from}. */
  private static List<BatchOperation> slice(List<BatchOperation> operations, int from) {
    return operations.subList(from, Math.min(operations.size(), from + SLICE));
  }

  private static List<Object> preparedBy(java.util.concurrent.Future<List<Object>> preparing) {
    try {
      return preparing.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Applies prepared operations in order, each in its own savepoint, in one transaction. */
  private List<Outcome> applyAll(
      MetadataTransaction tx,
      Principal p,
      List<BatchOperation> operations,
      List<Object> prepared,
      Instant now,
      Map<String, Long> published) {
    List<Outcome> results = new ArrayList<>(operations.size());
    for (int i = 0; i < operations.size(); i++) {
      BatchOperation op = operations.get(i);
      String opId = op == null ? null : op.opId();
      if (prepared.get(i) instanceof CofferException refused) {
        results.add(new Refused(opId, refused));
        continue;
      }
      Manifest manifest = (Manifest) prepared.get(i);
      try {
        results.add(tx.savepoint(t -> applyOne(t, p, op, manifest, now, published)));
      } catch (CofferException e) {
        results.add(new Refused(opId, e));
      }
    }
    return results;
  }

  /**
   * Prepares every operation, several at a time: storing a chunk waits for the disk (an fsync), so
   * a batch of small files stores its chunks side by side rather than one after another.
   */
  private List<Object> prepareAll(Principal p, List<BatchOperation> operations) {
    Object[] prepared = new Object[operations.size()];
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PREPARE_PARALLELISM);
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < operations.size(); i++) {
        int at = i;
        pool.submit(
            () -> {
              slots.acquireUninterruptibly();
              try {
                prepared[at] = prepare(p, operations.get(at));
              } catch (CofferException e) {
                prepared[at] = e;
              } catch (RuntimeException e) {
                LOG.error("batch: storing the content of an operation failed", e);
                prepared[at] =
                    new coffer.core.error.StorageException(
                        "storage-failed", "The content could not be stored; retry.", e);
              } finally {
                slots.release();
              }
            });
      }
    }
    return java.util.Arrays.asList(prepared);
  }

  /** Checks an operation's shape and stores inline content; returns its manifest or null. */
  private Manifest prepare(Principal p, BatchOperation op) {
    if (op == null || op.op() == null) {
      throw new BadRequestException(
          "invalid-operation", "Each operation needs an 'op': put, mkdir, move or delete.");
    }
    if (op.opId() != null && (op.opId().isBlank() || op.opId().length() > MAX_OP_ID)) {
      throw new BadRequestException(
          "invalid-operation", "An 'opId' has 1 to " + MAX_OP_ID + " characters.");
    }
    return switch (op.op().toLowerCase(Locale.ROOT)) {
      case "put" -> content(p, op);
      case "mkdir" -> null;
      case "move", "delete" -> {
        if (op.id() == null) {
          throw new BadRequestException(
              "invalid-operation", "A '" + op.op() + "' operation needs the node's 'id'.");
        }
        yield null;
      }
      default ->
          throw new BadRequestException(
              "invalid-operation", "Unknown op '" + op.op() + "'; use put, mkdir, move or delete.");
    };
  }

  private Manifest content(Principal p, BatchOperation op) {
    if ((op.data() == null) == (op.chunks() == null)) {
      throw new BadRequestException(
          "invalid-operation", "A 'put' carries either inline 'data' or a 'chunks' list.");
    }
    if (op.chunks() != null) {
      Manifest manifest = uploads.manifestOf(op.chunks());
      uploads.requireHeld(p.userId(), manifest);
      return manifest;
    }
    byte[] data;
    try {
      data = Base64.getDecoder().decode(op.data());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("invalid-operation", "'data' is not valid base64.");
    }
    if (data.length > MAX_INLINE_BYTES) {
      throw new BadRequestException(
          "inline-too-large",
          "Inline 'data' holds at most " + MAX_INLINE_BYTES + " bytes; upload chunks instead.");
    }
    return ingest.ingest(data);
  }

  private Outcome applyOne(
      MetadataTransaction tx,
      Principal p,
      BatchOperation op,
      Manifest manifest,
      Instant now,
      Map<String, Long> published) {
    if (op.opId() != null) {
      var applied = tx.operations().find(p.userId(), op.opId());
      if (applied.isPresent()) {
        // Shown only while the caller may still see it (a share may have ended since).
        FileMetadata file =
            visibleNode(tx, p, applied.get().nodeId())
                .map(n -> FileService.view(tx, p, n))
                .orElse(null);
        return new Done(op.opId(), file, applied.get().status() == 201, true);
      }
    }
    FileService.Journaled done =
        switch (op.op().toLowerCase(Locale.ROOT)) {
          case "put" ->
              op.id() != null
                  ? files.updateIn(tx, p, op.id(), op.baseRevision(), manifest, now)
                  : files.putIn(
                      tx,
                      p,
                      new UploadMetadata(
                          op.path(), op.parentId(), op.name(), op.overwrite(), op.baseRevision()),
                      manifest,
                      now);
          case "mkdir" ->
              files.mkdirIn(
                  tx,
                  p,
                  new CreateFolderRequest(op.path(), op.parentId(), op.name(), op.parents()),
                  now);
          case "move" ->
              files.moveIn(
                  tx,
                  p,
                  op.id(),
                  new MoveRequest(op.path(), op.parentId(), op.name(), op.baseRevision()),
                  now);
          case "delete" -> files.deleteIn(tx, p, op.id(), op.baseRevision(), op.baseSeq(), now);
          default -> throw new BadRequestException("invalid-operation", "Unknown op.");
        };
    if (op.uploadId() != null && tx.uploads().find(p.userId(), op.uploadId(), now).isPresent()) {
      tx.uploads().delete(op.uploadId());
    }
    boolean created = done.created();
    if (op.opId() != null) {
      tx.operations()
          .record(p.userId(), op.opId(), new Applied(done.node().id(), created ? 201 : 200), now);
    }
    if (done.seq() > 0) {
      done.hints().forEach((ns, seq) -> published.merge(ns, seq, Math::max));
    }
    return new Done(op.opId(), FileService.view(tx, p, done.node()), created, false);
  }

  /** The node a replayed operation made, if the caller may still see it. */
  private static java.util.Optional<coffer.core.model.Node> visibleNode(
      MetadataTransaction tx, Principal p, String id) {
    try {
      return java.util.Optional.of(Access.seen(tx, p, id));
    } catch (coffer.core.error.NotFoundException gone) {
      return java.util.Optional.empty();
    }
  }
}
