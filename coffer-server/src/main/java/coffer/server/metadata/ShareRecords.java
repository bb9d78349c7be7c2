package coffer.server.metadata;

import coffer.core.model.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who may see what of someone else's: members of shared namespaces (with the mount that shows the
 * namespace in each member's home) and single files shared with people.
 */
public interface ShareRecords {

  /** A member of a shared namespace; {@code mountId} is null once the mount is gone for good. */
  record Member(
      String namespaceId,
      String userId,
      Role role,
      String mountId,
      String addedBy,
      Instant createdAt) {}

  /** A single file shared with a user. */
  record SharedFile(
      String userId,
      String nodeId,
      String namespaceId,
      Role role,
      String addedBy,
      Instant createdAt) {}

  /** Adds a member, or replaces the membership (role, mount) of one already there. */
  void putMember(Member member);

  Optional<Member> member(String namespaceId, String userId);

  /** Members of a namespace, oldest first. */
  List<Member> members(String namespaceId);

  /** The namespaces a user is a member of (their own shared ones included). */
  List<Member> memberships(String userId);

  /** Ends a membership; true when there was one. */
  boolean removeMember(String namespaceId, String userId);

  /** Shares a file with a user, or changes the role of an existing share. */
  void putFile(SharedFile share);

  Optional<SharedFile> file(String userId, String nodeId);

  /** Everyone a file is shared with, oldest first. */
  List<SharedFile> fileShares(String nodeId);

  /** Files shared with a user, newest first. */
  List<SharedFile> filesSharedWith(String userId);

  /** Ends a file share; true when there was one. */
  boolean removeFile(String userId, String nodeId);
}
