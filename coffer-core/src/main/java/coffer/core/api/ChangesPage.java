package coffer.core.api;

import java.util.List;
import java.util.Map;

/**
 * A page of the change feed. Pass {@code cursor} to the next call: it never skips or repeats an
 * entry. {@code hasMore} says whether more entries are available right now. {@code positions} is
 * the sequence number the cursor stands at in each namespace: a client names it as {@code baseSeq}
 * to delete a folder only if nothing in it changed beyond what it has read.
 */
public record ChangesPage(
    List<ChangeEntry> entries, String cursor, boolean hasMore, Map<String, Long> positions) {}
