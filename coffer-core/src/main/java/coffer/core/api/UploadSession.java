package coffer.core.api;

import java.time.Instant;
import java.util.List;

/**
 * A chunked upload in progress. {@code missing} lists the chunks to PUT before committing, each
 * once even when the file repeats it; {@code missingBytes} is their total size.
 */
public record UploadSession(
    String uploadId, Instant expiresAt, List<ChunkTransfer> missing, long missingBytes) {}
