package coffer.server.files;

import coffer.core.api.ScrubReport;
import coffer.core.api.ScrubReport.ChunkProblem;
import coffer.core.error.StorageException;
import coffer.core.hash.Sha256;
import coffer.server.blob.BlobStore;
import coffer.server.metadata.MetadataStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-verifies what is stored: reads every chunk back and checks its SHA-256 (a flipped bit or a
 * truncated blob shows up here, and downloads already refuse to serve it), then checks that every
 * chunk a revision refers to is in the blob store. Read-only: it reports, it never deletes.
 */
public final class Scrubber {

  private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
  private static final int PAGE = 1000;
  private static final int FILES_SHOWN = 100;

  private final MetadataStore store;
  private final BlobStore blobs;
  private final Clock clock;

  public Scrubber(MetadataStore store, BlobStore blobs, Clock clock) {
    this.store = store;
    this.blobs = blobs;
    this.clock = clock;
  }

  public ScrubReport scrub() {
    Instant started = clock.instant();
    long[] checked = new long[2];
    List<Sha256> corrupt = new ArrayList<>();
    blobs.list(
        blob -> {
          try {
            checked[1] += blobs.read(blob.hash()).length;
            checked[0]++;
          } catch (StorageException e) {
            // blob-missing: deleted by garbage collection since the listing saw it. Anything
            // else (damaged, truncated, unreadable, sealed under a key the ring lacks) cannot
            // be served.
            if (!"blob-missing".equals(e.type())) {
              corrupt.add(blob.hash());
              checked[0]++;
            }
          }
        });
    List<Sha256> missing = missingHashes();
    ScrubReport report =
        new ScrubReport(
            started, clock.instant(), checked[0], checked[1], problems(corrupt), problems(missing));
    if (report.clean()) {
      LOG.info("scrub: {} chunks ({} bytes) verified, all intact", checked[0], checked[1]);
    } else {
      LOG.error(
          "scrub: {} corrupt and {} missing chunks (of {} checked); affected: {} {}",
          report.corrupt().size(),
          report.missing().size(),
          checked[0],
          report.corrupt(),
          report.missing());
    }
    return report;
  }

  /** Chunks a revision refers to that the blob store does not hold, with their files. */
  public List<ChunkProblem> missing() {
    return problems(missingHashes());
  }

  private List<Sha256> missingHashes() {
    List<Sha256> missing = new ArrayList<>();
    Sha256 after = null;
    while (true) {
      Sha256 from = after;
      List<Sha256> page = store.read(tx -> tx.chunks().referencedAfter(from, PAGE));
      for (Sha256 hash : page) {
        if (!blobs.exists(hash)) {
          missing.add(hash);
        }
      }
      if (page.size() < PAGE) {
        return missing;
      }
      after = page.get(page.size() - 1);
    }
  }

  private List<ChunkProblem> problems(List<Sha256> hashes) {
    return hashes.stream()
        .map(
            h ->
                new ChunkProblem(h.hex(), store.read(tx -> tx.chunks().filesUsing(h, FILES_SHOWN))))
        .toList();
  }
}
