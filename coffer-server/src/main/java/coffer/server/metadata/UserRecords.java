package coffer.server.metadata;

import coffer.core.model.User;
import java.util.Optional;

/** Accounts. Usernames are unique case-insensitively. */
public interface UserRecords {

  /** Inserts a user; a username already taken (in any case) is a {@code ConflictException}. */
  void insert(User user);

  /** Finds a user by username, ignoring case. */
  Optional<User> byUsername(String username);

  Optional<User> byId(String id);

  long count();

  /**
   * Up to {@code limit} users whose username comes after {@code after} (null: from the start), in
   * case-insensitive username order: an admin pages through every account this way.
   */
  java.util.List<User> list(String after, int limit);

  /**
   * The user's storage quota in bytes; empty when there is none. In a write transaction it also
   * serializes quota checks for that user (on PostgreSQL the row is locked until the end).
   */
  Optional<Long> quota(String userId);

  /** Replaces the stored password hash (the same password, hashed with stronger parameters). */
  void setPasswordHash(String userId, String passwordHash);

  /** Sets (or, with null, removes) the user's storage quota in bytes. */
  void setQuota(String userId, Long bytes);

  /** Bytes of live (not trashed) files in every namespace {@code userId} owns. */
  long usedBytes(String userId);
}
