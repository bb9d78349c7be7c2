package coffer.client;

import coffer.core.api.FileMetadata;

/**
 * What a chunked upload did: the committed file, how many chunks it has, and how many of them (and
 * how many bytes) actually had to be sent.
 */
public record PutResult(FileMetadata file, int chunks, int chunksSent, long bytesSent) {}
