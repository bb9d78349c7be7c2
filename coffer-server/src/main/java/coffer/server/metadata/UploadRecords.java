package coffer.server.metadata;

import java.time.Instant;
import java.util.Optional;

/** Chunked upload sessions. */
public interface UploadRecords {

  void insert(PendingUpload upload);

  /** A user's session that has not expired at {@code now}; another user's is never found. */
  Optional<PendingUpload> find(String userId, String uploadId, Instant now);

  void delete(String uploadId);

  /** Deletes sessions that expired before {@code now}; returns how many. */
  int deleteExpired(Instant now);
}
