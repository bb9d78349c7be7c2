package coffer.core.api;

/**
 * {@code POST /api/v1/admin/backup}: the folder, on the server's machine and as an absolute path,
 * to write the backup to (new, or a previous backup to bring up to date).
 */
public record BackupRequest(String path) {}
