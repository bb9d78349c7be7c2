package coffer.core.api;

import java.time.Instant;

/** Something deleted that can still be restored: a file, or a folder with what was inside it. */
public record TrashItem(
    String id, String kind, String name, String path, long size, Instant deleted) {}
