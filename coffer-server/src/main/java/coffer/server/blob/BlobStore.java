package coffer.server.blob;

import coffer.core.hash.Sha256;
import java.io.InputStream;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Content-addressed storage of chunks: each blob is named by the SHA-256 of its bytes, so a blob
 * never changes once written and storing the same bytes twice stores them once. Adapters: a local
 * directory (embedded) and S3. Every adapter passes {@code BlobStoreContract}.
 *
 * <p>Take care when adding to this interface: every backend must implement each method with the
 * guarantees stated here.
 */
public interface BlobStore {

  /**
   * Stores {@code length} bytes from {@code data} under {@code hash}. The bytes are verified
   * against {@code hash} before anything becomes visible: a mismatch or a short stream throws
   * {@link coffer.core.error.BadRequestException} of type {@code hash-mismatch} and stores nothing.
   * Atomic (readers see the whole blob or none), idempotent (storing an existing blob again is
   * cheap and leaves it unchanged), and durable once it returns.
   */
  void put(Sha256 hash, InputStream data, long length);

  /**
   * Reads a whole blob and verifies it against its hash before returning it. A missing blob or one
   * whose bytes no longer match throws {@link coffer.core.error.StorageException}: corrupt data is
   * never served.
   */
  byte[] read(Sha256 hash);

  /** Whether a blob is stored. */
  boolean exists(Sha256 hash);

  /** Deletes a blob; deleting a missing blob does nothing. */
  void delete(Sha256 hash);

  /**
   * Calls {@code each} for every stored blob, in no particular order. Blobs stored or deleted while
   * the listing runs may or may not be seen.
   */
  void list(Consumer<StoredBlob> each);

  /**
   * A stored blob as a listing sees it; {@code length} is what it occupies in the store, which a
   * store that compresses or encrypts may make differ from the chunk's own length.
   */
  record StoredBlob(Sha256 hash, long length, Instant modified) {}
}
