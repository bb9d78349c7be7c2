package coffer.core.api;

/** {@code PUT /api/v1/admin/users/{username}/quota}: the new quota in bytes, or null for none. */
public record QuotaRequest(Long quotaBytes) {}
