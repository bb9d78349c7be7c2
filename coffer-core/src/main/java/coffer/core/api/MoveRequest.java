package coffer.core.api;

/**
 * Renames and/or moves a node: to {@code path}, or to {@code name} under {@code parentId} (either
 * may be omitted to keep the current one).
 */
public record MoveRequest(String path, String parentId, String name) {}
