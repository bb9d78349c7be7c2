package coffer.client;

import coffer.core.api.AccountInfo;
import coffer.core.api.BatchOperation;
import coffer.core.api.BatchResult;
import coffer.core.api.ChangesPage;
import coffer.core.api.ChunkTransfer;
import coffer.core.api.Contents;
import coffer.core.api.FileManifest;
import coffer.core.api.FileMetadata;
import coffer.core.api.UploadRequest;
import coffer.core.api.UploadSession;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The server's endpoints that {@link Transfers} and the sync engine use, one method each. {@link
 * CofferClient} reaches them over HTTP; a simulation may answer them in process. A refusal is an
 * {@link ApiException}; a server that cannot be reached is an {@link java.io.UncheckedIOException}
 * (or an {@link IOException} where declared).
 */
public interface ServerApi {

  /** Where the server is: with the account, it tells whether a folder synced here before. */
  URI server();

  AccountInfo account();

  FileMetadata lookup(String path);

  /** One page of the change feed after {@code cursor} (null: start with a snapshot). */
  ChangesPage changes(String cursor);

  /** Waits up to {@code timeout} for a change after {@code cursor}; true when one came. */
  boolean awaitChanges(String cursor, Duration timeout);

  /** Applies operations in one request; one result each, in order. */
  List<BatchResult> batch(List<BatchOperation> operations);

  /** Starts (or resumes) a chunked upload: the answer names the chunks the server still lacks. */
  UploadSession startUpload(UploadRequest request);

  /** Sends one missing chunk to where the upload session said; false when that URL expired. */
  boolean putChunk(ChunkTransfer transfer, byte[] data) throws IOException;

  /** Commits an upload whose chunks have all arrived. */
  FileMetadata commitUpload(String uploadId);

  /** A file's manifest: revision {@code revision}, or the current one when null. */
  FileManifest manifest(String id, String revision);

  /**
   * The whole content of small files (see {@link Contents}), in the order asked, each to {@code
   * sink} as it arrives: its bytes, unchecked, or the problem that kept this one file back.
   */
  void contents(List<Contents.Ref> files, Contents.Sink sink) throws IOException;

  /** One chunk's bytes as they arrived; the caller checks them against the hash. */
  byte[] fetchChunk(ChunkTransfer chunk) throws IOException;
}
