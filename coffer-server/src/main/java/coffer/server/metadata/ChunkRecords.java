package coffer.server.metadata;

import coffer.core.hash.Sha256;
import coffer.core.manifest.ChunkRef;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/** Who holds which chunk, and whether anything still refers to a chunk. */
public interface ChunkRecords {

  /** Records that a user uploaded or committed these chunks; granting twice changes nothing. */
  void grant(String userId, Collection<ChunkRef> chunks, Instant at);

  /**
   * The chunks of {@code chunks} (hash to length) that the user holds with exactly that length: a
   * manifest that misstates a held chunk's length does not count as holding it.
   */
  Set<Sha256> heldBy(String userId, java.util.Map<Sha256, Integer> chunks);

  /**
   * Whether a user may read a chunk: they hold it, or a revision in one of {@code namespaces} (the
   * ones they see) or of a file shared with them refers to it.
   */
  boolean readableBy(Sha256 hash, String userId, Collection<String> namespaces);

  /**
   * Whether a chunk is referenced by any revision, or by an upload session that expires after
   * {@code now}. Unreferenced chunks may be garbage-collected.
   */
  boolean referenced(Sha256 hash, Instant now);

  /**
   * Makes concurrent commits wait until this transaction ends, so that a chunk found unreferenced
   * cannot gain a reference before it is deleted.
   */
  void lockForCollection();

  /** Forgets every user's hold on a chunk, once its blob is deleted. */
  void forget(Sha256 hash);

  /**
   * Up to {@code limit} distinct chunk hashes that some revision refers to, after {@code after}
   * (null: from the start), in hash order: the chunks the blob store must hold.
   */
  java.util.List<Sha256> referencedAfter(Sha256 after, int limit);

  /** Up to {@code limit} live files with a revision made of this chunk: "name (id)". */
  java.util.List<String> filesUsing(Sha256 hash, int limit);
}
