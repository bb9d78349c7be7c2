package coffer.core.api;

/**
 * An account's storage: bytes of live files in what it owns (shared folders included, versions and
 * trash not), and its quota in bytes (null: none).
 */
public record StorageUsage(String username, long usedBytes, Long quotaBytes) {}
