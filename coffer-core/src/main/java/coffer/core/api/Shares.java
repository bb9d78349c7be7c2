package coffer.core.api;

import java.util.List;

/**
 * Who a file or folder is shared with. {@code members} lists the owner first; an unshared item has
 * only its owner.
 */
public record Shares(
    String id,
    String kind,
    String name,
    String owner,
    boolean editorsCanShare,
    List<ShareMember> members) {}
