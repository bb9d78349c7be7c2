package coffer.core.api;

import java.util.List;

/** A folder and its live children, folders first, then by name. */
public record FolderListing(FileMetadata folder, List<FileMetadata> children) {}
