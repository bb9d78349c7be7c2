package coffer.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing, stored in the PHC string format ({@code
 * $argon2id$v=19$m=…,t=…,p=…$salt$hash}) so parameters can be raised later without breaking stored
 * hashes.
 *
 * @param memoryKib memory cost in KiB
 * @param iterations time cost
 * @param parallelism lanes
 */
public record PasswordHasher(int memoryKib, int iterations, int parallelism) {

  /** OWASP's 2024 minimum for Argon2id: 19 MiB, 2 iterations, 1 lane. */
  public static final PasswordHasher DEFAULT = new PasswordHasher(19 * 1024, 2, 1);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  public String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, memoryKib, iterations, parallelism, 32);
    return "$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s"
        .formatted(
            memoryKib, iterations, parallelism, B64.encodeToString(salt), B64.encodeToString(hash));
  }

  /**
   * Whether a stored hash was made with weaker parameters than these (less memory, fewer iterations
   * or lanes): after the next successful log-in it is replaced by a hash with these. Hashes with
   * stronger parameters are left as they are.
   */
  public boolean needsRehash(String stored) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("^\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$")
            .matcher(stored);
    if (!m.find()) {
      return true;
    }
    try {
      return Integer.parseInt(m.group(1)) < memoryKib
          || Integer.parseInt(m.group(2)) < iterations
          || Integer.parseInt(m.group(3)) < parallelism;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** Checks a password against a stored hash in constant time; a malformed hash never matches. */
  public boolean verify(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 6 || !parts[1].equals("argon2id")) {
      return false;
    }
    try {
      int m = 0;
      int t = 0;
      int p = 0;
      for (String param : parts[3].split(",")) {
        String[] kv = param.split("=", 2);
        int value = Integer.parseInt(kv[1]);
        switch (kv[0]) {
          case "m" -> m = value;
          case "t" -> t = value;
          case "p" -> p = value;
          default -> {
            return false;
          }
        }
      }
      byte[] salt = B64D.decode(parts[4]);
      byte[] expected = B64D.decode(parts[5]);
      byte[] actual = derive(password, salt, m, t, p, expected.length);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] derive(
      String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
