package coffer.core.sync;

import static java.util.Objects.requireNonNull;

import coffer.core.model.NodeKind;
import coffer.core.name.NodeName;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Names for the local side of a conflict: {@code report (conflicted copy, LAPTOP, 2026-03-01
 * 142530).pdf}. The suffix goes before a file's extension, so the copy still opens with the same
 * application; a folder's whole name is its stem. Every name returned is a valid {@link NodeName}
 * when the name it is made from is one.
 */
public final class ConflictNames {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HHmmss", Locale.ROOT);

  private static final String NOT_IN_A_NAME = "/\\<>:\"|?*";

  private ConflictNames() {}

  /**
   * The conflicted-copy name of a file: {@code name (conflicted copy, DEVICE, YYYY-MM-DD
   * HHMMSS).ext}, where the extension is from the last dot (none for {@code .bashrc} or {@code
   * README}).
   */
  public static String copyName(String name, String device, Instant at, ZoneId zone) {
    return copyName(name, NodeKind.FILE, device, at, zone);
  }

  /**
   * The conflicted-copy name of a file or folder; a folder gets no extension. Characters a name
   * cannot hold are replaced in the device name, and a long stem is shortened so the result fits in
   * {@link NodeName#MAX_BYTES} bytes.
   */
  public static String copyName(
      String name, NodeKind kind, String device, Instant at, ZoneId zone) {
    requireNonNull(at, "at is null");
    requireNonNull(zone, "zone is null");
    String suffix =
        " (conflicted copy, " + deviceLabel(device) + ", " + STAMP.format(at.atZone(zone)) + ")";
    return withSuffix(name, kind, suffix);
  }

  /**
   * The {@code number}th variant of a name, for when the name is taken: {@code name 2.ext}, {@code
   * name 3.ext}, …; the name itself for 1.
   */
  public static String numbered(String name, NodeKind kind, int number) {
    if (number < 1) {
      throw new IllegalArgumentException("numbers start at 1, not " + number);
    }
    return number == 1 ? name : withSuffix(name, kind, " " + number);
  }

  /**
   * The first of {@code name}, {@code name 2}, {@code name 3}, … (numbered before the extension)
   * that is not {@code taken}; callers compare by name key.
   */
  public static String firstFree(String name, NodeKind kind, Predicate<String> taken) {
    for (int number = 1; ; number++) {
      String candidate = numbered(name, kind, number);
      if (!taken.test(candidate)) {
        return candidate;
      }
    }
  }

  /** The name an item wears for one round while it makes way in a swap of names. */
  static String movingName(String name, NodeKind kind) {
    return withSuffix(name, kind, " (moving)");
  }

  private static String withSuffix(String name, NodeKind kind, String suffix) {
    String nfc = Normalizer.normalize(requireNonNull(name, "name is null"), Normalizer.Form.NFC);
    int dot = kind == NodeKind.FILE ? nfc.lastIndexOf('.') : -1;
    String stem = dot > 0 ? nfc.substring(0, dot) : nfc;
    String extension = dot > 0 ? nfc.substring(dot) : "";
    if (bytes(suffix + extension) >= NodeName.MAX_BYTES) {
      // An extension too long to keep: treat the whole name as the stem.
      stem = nfc;
      extension = "";
    }
    int room = NodeName.MAX_BYTES - bytes(suffix + extension);
    while (bytes(stem) > room) {
      stem = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
    }
    return stem + suffix + extension;
  }

  private static String deviceLabel(String device) {
    StringBuilder label = new StringBuilder();
    requireNonNull(device, "device is null")
        .codePoints()
        .limit(64)
        .forEach(
            c ->
                label.appendCodePoint(
                    c < 0x20 || c == 0x7f || NOT_IN_A_NAME.indexOf(c) >= 0 ? '-' : c));
    String stripped = label.toString().strip();
    return stripped.isEmpty() ? "unknown device" : stripped;
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
