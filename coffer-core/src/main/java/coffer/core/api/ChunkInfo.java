package coffer.core.api;

/** One chunk of a manifest on the wire: its SHA-256 (64 hex digits) and its length in bytes. */
public record ChunkInfo(String hash, int length) {}
