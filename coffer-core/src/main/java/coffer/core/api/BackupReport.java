package coffer.core.api;

import java.time.Instant;
import java.util.List;

/**
 * What one backup wrote: the metadata as of {@code started}, and every chunk it needs.
 *
 * @param path the backup folder
 * @param epoch the history id the backup's metadata carries; a server restored from it tells its
 *     devices' cursors apart by it
 * @param chunksCopied chunks written this time
 * @param chunksPresent chunks the folder already held from an earlier backup
 * @param bytesCopied the length of the chunks written this time
 * @param unreadable chunks that could not be read back intact (see scrub), left out of the backup
 */
public record BackupReport(
    String path,
    Instant started,
    Instant finished,
    String epoch,
    long chunksCopied,
    long chunksPresent,
    long bytesCopied,
    List<String> unreadable) {}
