package coffer.server.files;

import coffer.core.api.FsckReport;
import coffer.server.metadata.IntegrityRecords;
import coffer.server.metadata.MetadataStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the metadata against its own rules and against the blob store, and reports what it finds
 * without changing anything: the check to run after a crash, a restore or a disk problem.
 */
public final class Fsck {

  private static final Logger LOG = LoggerFactory.getLogger(Fsck.class);

  /** Findings shown per rule. */
  private static final int SHOWN = 100;

  private final MetadataStore store;
  private final Scrubber scrubber;
  private final Clock clock;

  public Fsck(MetadataStore store, Scrubber scrubber, Clock clock) {
    this.store = store;
    this.scrubber = scrubber;
    this.clock = clock;
  }

  public FsckReport check() {
    Instant started = clock.instant();
    record Checked(IntegrityRecords.Counts counts, List<IntegrityRecords.Finding> found) {}
    Checked checked =
        store.read(tx -> new Checked(tx.integrity().counts(), tx.integrity().check(SHOWN)));
    IntegrityRecords.Counts counts = checked.counts();
    List<IntegrityRecords.Finding> found = checked.found();
    List<coffer.core.api.ScrubReport.ChunkProblem> missing = scrubber.missing();
    FsckReport report =
        new FsckReport(
            started,
            clock.instant(),
            counts.nodes(),
            counts.revisions(),
            found.stream()
                .map(f -> new FsckReport.Finding(f.kind(), f.subject(), f.detail()))
                .toList(),
            missing);
    if (report.clean()) {
      LOG.info(
          "fsck: {} nodes and {} revisions checked, all consistent",
          counts.nodes(),
          counts.revisions());
    } else {
      LOG.error(
          "fsck: {} problems and {} missing chunks: {} {}",
          report.findings().size(),
          report.missing().size(),
          report.findings(),
          report.missing());
    }
    return report;
  }
}
