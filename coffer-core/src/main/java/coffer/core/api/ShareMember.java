package coffer.core.api;

import java.time.Instant;

/** Someone a file or folder is shared with, or its owner, and since when. */
public record ShareMember(String user, String role, Instant since) {}
