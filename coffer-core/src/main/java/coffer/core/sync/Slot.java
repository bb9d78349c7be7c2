package coffer.core.sync;

/**
 * A place in a folder that at most one child may take: names collide by {@link
 * coffer.core.name.NodeName#key(String) key}, case-insensitively and across Unicode forms.
 */
record Slot(String parentId, String key) {}
