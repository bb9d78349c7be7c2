package coffer.core.api;

/**
 * Creates a folder at {@code path}, or {@code name} under {@code parentId}. With {@code parents},
 * missing ancestors are created and an existing folder is not an error (like {@code mkdir -p}).
 */
public record CreateFolderRequest(String path, String parentId, String name, Boolean parents) {}
