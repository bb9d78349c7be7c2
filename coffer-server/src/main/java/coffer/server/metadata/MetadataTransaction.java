package coffer.server.metadata;

/** The record sets reachable inside one {@link MetadataStore} transaction. */
public interface MetadataTransaction {
  UserRecords users();

  DeviceRecords devices();

  NamespaceRecords namespaces();

  NodeRecords nodes();

  RevisionRecords revisions();

  JournalRecords journal();

  ChunkRecords chunks();

  UploadRecords uploads();

  OperationRecords operations();

  ShareRecords shares();

  LinkRecords links();

  ServerRecords server();

  IntegrityRecords integrity();

  /**
   * Runs {@code work} as a part of this transaction that can fail on its own: when it throws, its
   * writes are undone and the exception propagates, while the writes made before it stay (a SQL
   * savepoint). Used to apply many operations in one transaction, each with its own outcome.
   */
  <T> T savepoint(java.util.function.Function<MetadataTransaction, T> work);
}
