package coffer.core.api;

import java.time.Instant;
import java.util.List;

/**
 * What one metadata check found: rows that break the metadata's own rules, and chunks that files
 * refer to but storage lacks.
 *
 * @param nodes how many files and folders (live, trashed and in history) were checked
 * @param revisions how many revisions were checked
 * @param findings what is wrong, at most 100 of each kind
 * @param missing chunks revisions refer to that the blob store does not hold
 */
public record FsckReport(
    Instant started,
    Instant finished,
    long nodes,
    long revisions,
    List<Finding> findings,
    List<ScrubReport.ChunkProblem> missing) {

  /** One row at fault: which rule, the row's id, and what is wrong in words. */
  public record Finding(String kind, String subject, String detail) {}

  public boolean clean() {
    return findings.isEmpty() && missing.isEmpty();
  }
}
