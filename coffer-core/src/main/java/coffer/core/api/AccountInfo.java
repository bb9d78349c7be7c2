package coffer.core.api;

/** What the server says about an account. */
public record AccountInfo(String id, String username, boolean admin) {}
