package coffer.server.blob.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.TreeMap;

/**
 * The master keys that local blobs are encrypted under: a key ring of numbered 256-bit keys, kept
 * outside the data directory. New blobs use the highest-numbered key; every key in the ring still
 * opens the blobs written under it, so a key is rotated by adding a line with a higher number.
 *
 * <p>The text form, one key per line, {@code #} starting a comment:
 *
 * <pre>
 * 1:BASE64-OF-32-RANDOM-BYTES
 * 2:BASE64-OF-32-RANDOM-BYTES
 * </pre>
 */
public final class MasterKeys {

  private static final int KEY_BYTES = 32;

  private final TreeMap<Integer, byte[]> keys;

  private MasterKeys(TreeMap<Integer, byte[]> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("the master key ring holds no key");
    }
    this.keys = keys;
  }

  /** The id that new blobs are written under: the highest in the ring. */
  public int currentId() {
    return keys.lastKey();
  }

  /** The key with this id, or null if the ring does not hold it. */
  byte[] key(int id) {
    byte[] key = keys.get(id);
    return key == null ? null : key.clone();
  }

  /** Reads a key ring from its text form; anything malformed is refused with the reason. */
  public static MasterKeys parse(String text) {
    TreeMap<Integer, byte[]> keys = new TreeMap<>();
    int lineNumber = 0;
    for (String raw : text.split("\\R")) {
      lineNumber++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw malformed(lineNumber, "a key is written ID:BASE64");
      }
      int id;
      byte[] key;
      try {
        id = Integer.parseInt(line.substring(0, colon).strip());
        key = Base64.getDecoder().decode(line.substring(colon + 1).strip());
      } catch (IllegalArgumentException e) {
        throw malformed(lineNumber, "a key is written ID:BASE64, with a whole-number ID");
      }
      if (id < 1) {
        throw malformed(lineNumber, "key ids start at 1");
      }
      if (key.length != KEY_BYTES) {
        throw malformed(
            lineNumber,
            "a key is " + KEY_BYTES + " bytes (44 base64 characters), not " + key.length);
      }
      if (keys.put(id, key) != null) {
        throw malformed(lineNumber, "key id " + id + " appears twice");
      }
    }
    return new MasterKeys(keys);
  }

  /**
   * Reads the key ring in {@code file}, first making it with one new random key if the file does
   * not exist yet. A made file is readable by its owner only and reaches the disk before this
   * returns.
   */
  public static MasterKeys loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        coffer.server.PrivateFiles.createOnce(file, generate().getBytes(StandardCharsets.UTF_8));
      }
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the master key file " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("master key file " + file + ": " + e.getMessage(), e);
    }
  }

  /** A new ring holding one random key with id 1, in its text form. */
  public static String generate() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return "# Coffer master keys: ID:BASE64 per line; the highest id encrypts new blobs.\n"
        + "# Losing this file loses every encrypted blob. Keep a copy apart from the data.\n"
        + "1:"
        + Base64.getEncoder().encodeToString(key)
        + "\n";
  }

  private static IllegalArgumentException malformed(int line, String why) {
    return new IllegalArgumentException("line " + line + ": " + why);
  }

  /** The ids in the ring, for messages; never the keys. */
  @Override
  public String toString() {
    return "MasterKeys" + keys.keySet();
  }
}
