package coffer.server.blob;

import coffer.core.error.ForbiddenException;
import coffer.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Presigned URLs for the server's own blob endpoint: an HMAC-SHA256 over the method, chunk hash,
 * length, user and expiry, under a secret only the server knows. Verification is constant-time; a
 * tampered or expired URL is a 403.
 */
public final class UrlSigner {

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] secret;
  private final Clock clock;

  public UrlSigner(byte[] secret, Clock clock) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("a signing secret needs at least 256 bits");
    }
    this.secret = secret.clone();
    this.clock = clock;
  }

  /**
   * A relative URL that lets {@code userId} do {@code method} on one chunk until {@code expires}.
   */
  public String sign(String method, Sha256 hash, int length, String userId, Instant expires) {
    long exp = expires.getEpochSecond();
    return "api/v1/blobs/%s?length=%d&user=%s&expires=%d&signature=%s"
        .formatted(hash.hex(), length, userId, exp, mac(method, hash, length, userId, exp));
  }

  /** Checks a presigned request; throws 403 unless it is intact and unexpired. */
  public void verify(
      String method, Sha256 hash, int length, String userId, long expires, String signature) {
    if (signature == null || userId == null) {
      throw denied();
    }
    byte[] expected =
        mac(method, hash, length, userId, expires).getBytes(StandardCharsets.US_ASCII);
    boolean intact = MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    if (!intact || clock.instant().getEpochSecond() > expires) {
      throw denied();
    }
  }

  private String mac(String method, Sha256 hash, int length, String userId, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      String message = method + "\n" + hash.hex() + "\n" + length + "\n" + userId + "\n" + expires;
      return HEX.formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  private static ForbiddenException denied() {
    return new ForbiddenException(
        "invalid-signature", "This link is invalid or has expired; ask the server for a new one.");
  }
}
