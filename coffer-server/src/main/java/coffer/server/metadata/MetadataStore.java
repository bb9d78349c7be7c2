package coffer.server.metadata;

import java.util.function.Function;

/**
 * The metadata database: users, devices, namespaces, nodes, revisions, chunks, the change journal
 * and public links. Adapters: SQLite (embedded) and PostgreSQL; both pass {@code
 * MetadataStoreContract}.
 */
public interface MetadataStore extends AutoCloseable {

  /**
   * Runs {@code work} in one transaction: all of its writes land together or none do. A {@link
   * coffer.core.error.CofferException} thrown inside rolls everything back and propagates as is.
   */
  <T> T write(Function<MetadataTransaction, T> work);

  /**
   * Like {@link #write}, but the commit may be lost (whole, never torn) if the machine loses power
   * right after it. For records that only save work, such as which chunks a user has sent: losing
   * one means a chunk is sent again, never that data is lost.
   */
  <T> T writeLazily(Function<MetadataTransaction, T> work);

  /** Runs read-only {@code work}; it must not write. */
  <T> T read(Function<MetadataTransaction, T> work);

  /**
   * Writes a consistent copy of the whole store to {@code file} (replacing it atomically), in which
   * the epoch is {@code epoch}, and fsyncs it. Writers are not stopped meanwhile; the copy is the
   * store as of one moment. Only an embedded store can do this: a server store (PostgreSQL) throws
   * {@link UnsupportedOperationException}, its backups being the database's own (pg_dump).
   */
  void backUpTo(java.nio.file.Path file, String epoch);

  @Override
  void close();
}
