package coffer.core.api;

import java.util.List;

/**
 * A page of the change feed. Pass {@code cursor} to the next call: it never skips or repeats an
 * entry. {@code hasMore} says whether more entries are available right now.
 */
public record ChangesPage(List<ChangeEntry> entries, String cursor, boolean hasMore) {}
