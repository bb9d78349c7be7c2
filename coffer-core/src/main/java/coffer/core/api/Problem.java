package coffer.core.api;

/**
 * An RFC 9457 problem: every error the API returns. {@code type} is stable and names the problem
 * ({@code /problems/invalid-name}); {@code detail} tells a person what went wrong and how to fix
 * it.
 */
public record Problem(String type, String title, int status, String detail, String instance) {}
