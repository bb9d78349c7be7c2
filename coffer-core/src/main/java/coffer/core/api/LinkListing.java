package coffer.core.api;

import java.time.Instant;
import java.util.List;

/**
 * What a public link shows: the item (the linked file or folder, or a folder inside a linked
 * folder), its children when it is a folder (folders first, then by name; null for a file), and
 * when the link expires (null: never).
 */
public record LinkListing(LinkedItem item, List<LinkedItem> children, Instant expiresAt) {}
