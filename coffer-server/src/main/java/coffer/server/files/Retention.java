package coffer.server.files;

import static java.util.Objects.requireNonNull;

import coffer.server.metadata.MetadataStore;
import coffer.server.metadata.NodeRecords.Trashed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets old history go under a policy: a file's old revisions once they are both older than {@link
 * Policy#versionsFor()} and beyond its {@link Policy#keepVersions()} newest, trash items once they
 * have been in the trash for {@link Policy#trashFor()}, and remembered operation ids after a week.
 * What it frees, garbage collection then reclaims. Works in small transactions, so commits never
 * wait long behind it.
 */
public final class Retention {

  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  private static final int STEP = 500;

  /** How long history is kept. */
  public record Policy(Duration versionsFor, int keepVersions, Duration trashFor) {

    /** 30 days of versions (and always the 100 newest of each file), 30 days of trash. */
    public static final Policy DEFAULT = new Policy(Duration.ofDays(30), 100, Duration.ofDays(30));

    public Policy {
      requireNonNull(versionsFor, "versionsFor is null");
      requireNonNull(trashFor, "trashFor is null");
      if (versionsFor.isNegative() || trashFor.isNegative() || keepVersions < 0) {
        throw new IllegalArgumentException("retention periods and counts cannot be negative");
      }
    }
  }

  /** What one run let go. */
  public record Result(int revisions, int trashItems, int operations) {}

  private final MetadataStore store;
  private final Clock clock;
  private final Policy policy;

  public Retention(MetadataStore store, Clock clock, Policy policy) {
    this.store = store;
    this.clock = clock;
    this.policy = policy;
  }

  public Result apply() {
    Instant now = clock.instant();
    Instant versionCutoff = now.minus(policy.versionsFor());
    int revisions = 0;
    for (int n;
        (n = store.write(tx -> tx.revisions().prune(versionCutoff, policy.keepVersions(), STEP)))
            > 0; ) {
      revisions += n;
    }
    Instant trashCutoff = now.minus(policy.trashFor());
    int items = 0;
    for (List<Trashed> old;
        !(old = store.read(tx -> tx.nodes().trashedBefore(trashCutoff, STEP))).isEmpty(); ) {
      for (Trashed item : old) {
        store.write(tx -> tx.nodes().purge(item.node().namespaceId(), item.node().id()));
      }
      items += old.size();
    }
    int operations =
        store.write(tx -> tx.operations().forgetBefore(now.minus(BatchService.OPERATION_MEMORY)));
    Result result = new Result(revisions, items, operations);
    if (revisions > 0 || items > 0) {
      LOG.info("retention: {} old versions and {} trash items let go", result.revisions(), items);
    }
    return result;
  }
}
