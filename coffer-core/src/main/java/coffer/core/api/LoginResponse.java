package coffer.core.api;

/** A fresh bearer token for one device; the server keeps only its hash. */
public record LoginResponse(String token, String deviceId, AccountInfo account) {}
