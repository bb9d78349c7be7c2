package coffer.core.api;

import java.time.Instant;
import java.util.List;

/**
 * What one scrub found: every stored chunk read back and checked against its SHA-256, and every
 * chunk a revision refers to looked for in the blob store.
 */
public record ScrubReport(
    Instant started,
    Instant finished,
    long chunksChecked,
    long bytesChecked,
    List<ChunkProblem> corrupt,
    List<ChunkProblem> missing) {

  /** A chunk that failed, and (up to 100 of) the live files it is part of, as "name (id)". */
  public record ChunkProblem(String hash, List<String> files) {}

  public boolean clean() {
    return corrupt.isEmpty() && missing.isEmpty();
  }
}
