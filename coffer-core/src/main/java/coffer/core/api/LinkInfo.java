package coffer.core.api;

import java.time.Instant;

/**
 * A public link as its owner sees it. {@code token} and {@code url} are only in the answer that
 * creates the link: the server keeps a hash of the token and cannot show it again.
 */
public record LinkInfo(
    String id,
    String fileId,
    String url,
    String token,
    Instant expiresAt,
    boolean hasPassword,
    Instant created) {

  /** The same link with {@code url} in place of its current one. */
  public LinkInfo withUrl(String url) {
    return new LinkInfo(id, fileId, url, token, expiresAt, hasPassword, created);
  }
}
