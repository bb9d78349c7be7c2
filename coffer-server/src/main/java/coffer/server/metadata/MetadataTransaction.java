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
}
