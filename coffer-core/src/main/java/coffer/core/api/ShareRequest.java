package coffer.core.api;

import java.util.List;

/**
 * Shares a file or folder: {@code users[i]} gets the role {@code permissions[i]} ({@code viewer} or
 * {@code editor}); one permission applies to every user. Sharing again changes a role.
 *
 * @param editorsCanShare whether editors may share it further (the owner decides; null: unchanged)
 */
public record ShareRequest(List<String> users, List<String> permissions, Boolean editorsCanShare) {}
