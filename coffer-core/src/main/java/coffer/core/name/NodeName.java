package coffer.core.name;

import coffer.core.error.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The name of one file or folder: Unicode NFC, case preserved, and portable to Windows, macOS and
 * Linux. Names that one of those systems cannot hold are refused with a message that says why, so a
 * file never syncs to a device that cannot create it.
 *
 * @param value the name as the user wrote it, in NFC
 */
public record NodeName(String value) {

  /** Longest name in UTF-8 bytes; ext4, APFS and NTFS all hold at least this much. */
  public static final int MAX_BYTES = 255;

  private static final Set<String> WINDOWS_RESERVED = windowsReserved();

  private static final String FORBIDDEN_CHARACTERS = "/\\<>:\"|?*";

  public NodeName {
    if (value == null) {
      throw invalid("a name is required");
    }
    value = Normalizer.normalize(value, Normalizer.Form.NFC);
    check(value);
  }

  /** Parses and validates a user-supplied name. */
  public static NodeName of(String value) {
    return new NodeName(value);
  }

  /**
   * The key under which names collide: two siblings may not share it, since macOS and Windows treat
   * names differing only in case as the same file.
   */
  public String key() {
    return key(value);
  }

  /** The collision key of any string, used for lookups by name. */
  public static String key(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }

  /** The part after the last dot, with the dot, or empty when there is none. */
  public String extension() {
    int dot = value.lastIndexOf('.');
    return dot <= 0 ? "" : value.substring(dot);
  }

  @Override
  public String toString() {
    return value;
  }

  private static void check(String name) {
    if (name.isEmpty()) {
      throw invalid("a name cannot be empty");
    }
    if (name.equals(".") || name.equals("..")) {
      throw invalid("'" + name + "' is not allowed as a name");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw invalid("a name can be at most " + MAX_BYTES + " bytes long in UTF-8");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw invalid("a name cannot contain control characters (such as NUL or newline)");
      }
      if (FORBIDDEN_CHARACTERS.indexOf(c) >= 0) {
        throw invalid(
            "a name cannot contain '" + c + "' (not allowed on Windows or as a separator)");
      }
    }
    char last = name.charAt(name.length() - 1);
    if (last == '.' || last == ' ') {
      throw invalid("a name cannot end with a dot or a space (Windows cannot hold it)");
    }
    int dot = name.indexOf('.');
    String stem = (dot < 0 ? name : name.substring(0, dot)).toUpperCase(Locale.ROOT).strip();
    if (WINDOWS_RESERVED.contains(stem)) {
      throw invalid("'" + name + "' is a reserved device name on Windows");
    }
  }

  private static Set<String> windowsReserved() {
    Set<String> names =
        new java.util.HashSet<>(Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"));
    // COM0-9 and LPT0-9, plus the superscript digits Windows also treats as device names.
    for (String digit :
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "\u00b9", "\u00b2", "\u00b3")) {
      names.add("COM" + digit);
      names.add("LPT" + digit);
    }
    return Set.copyOf(names);
  }

  private static BadRequestException invalid(String why) {
    return new BadRequestException("invalid-name", "Invalid name: " + why + ".");
  }
}
