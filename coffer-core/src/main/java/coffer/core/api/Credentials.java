package coffer.core.api;

/** Body of sign-up and log-in. {@code device} names the device the token is for (optional). */
public record Credentials(String username, String password, String device) {}
