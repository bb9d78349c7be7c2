package coffer.core.api;

/** The answer of a long-poll: whether anything visible to the cursor changed before the timeout. */
public record ChangeSignal(boolean changed) {}
