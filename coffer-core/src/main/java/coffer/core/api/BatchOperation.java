package coffer.core.api;

import java.util.List;

/**
 * One operation of a batch commit ({@code POST /api/v1/batch}). {@code op} is one of:
 *
 * <ul>
 *   <li>{@code put}: a file at {@code path} (or {@code parentId} + {@code name}) with content given
 *       inline as base64 {@code data} (small files) or as {@code chunks} the caller has already
 *       uploaded; {@code baseRevision} or {@code overwrite} to replace an existing file, as for
 *       uploads; {@code uploadId} closes the upload session that sent the chunks;
 *   <li>{@code mkdir}: a folder at {@code path} (or {@code parentId} + {@code name}); with {@code
 *       parents}, missing folders on the way are created and an existing folder is success;
 *   <li>{@code move}: node {@code id} to {@code path} (or {@code parentId} and/or {@code name});
 *   <li>{@code delete}: node {@code id} to the trash.
 * </ul>
 *
 * <p>{@code baseRevision} on {@code move} and {@code delete} of a file refuses the operation when
 * the file has another revision by now; {@code baseSeq} on {@code delete} refuses it when the node
 * or anything under it changed after that sequence number of its namespace. {@code opId}, unique
 * per user, makes a retry safe: an operation already applied is not applied again, and its result
 * is answered once more.
 */
public record BatchOperation(
    String opId,
    String op,
    String id,
    String path,
    String parentId,
    String name,
    Boolean overwrite,
    Boolean parents,
    String baseRevision,
    Long baseSeq,
    List<ChunkInfo> chunks,
    String data,
    String uploadId) {}
