package coffer.client.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What is never synced: temporary files editors and systems leave behind, the client's own partial
 * downloads, and whatever the folder's {@code .cofferignore} names, in gitignore syntax ({@code *},
 * {@code ?}, {@code **}, a leading {@code /} anchors to the root, a trailing {@code /} matches only
 * folders, {@code !} re-includes, {@code #} comments).
 */
public final class Ignores {

  /** The file in the sync root that holds the user's rules. */
  public static final String FILE = ".cofferignore";

  private static final List<String> BUILT_IN =
      List.of(
          "*.swp",
          "*.swx",
          ".*.swp",
          "~$*",
          ".~lock.*#",
          "*~",
          ".DS_Store",
          "Thumbs.db",
          "desktop.ini",
          "*.coffer-part",
          ".coffer-conflicts/");

  private record Rule(Pattern pattern, boolean negate, boolean foldersOnly) {}

  private final List<Rule> rules;

  private Ignores(List<Rule> rules) {
    this.rules = rules;
  }

  /** The built-in rules plus those of {@code root/.cofferignore}, if it exists. */
  public static Ignores of(Path root) throws IOException {
    List<String> lines = new ArrayList<>(BUILT_IN);
    Path file = root.resolve(FILE);
    if (Files.isRegularFile(file)) {
      lines.addAll(Files.readAllLines(file));
    }
    return parse(lines);
  }

  static Ignores parse(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean negate = line.startsWith("!");
      if (negate) {
        line = line.substring(1);
      }
      boolean foldersOnly = line.endsWith("/");
      if (foldersOnly) {
        line = line.substring(0, line.length() - 1);
      }
      boolean anchored = line.startsWith("/") || line.contains("/");
      if (line.startsWith("/")) {
        line = line.substring(1);
      }
      String regex = (anchored ? "" : "(?:.*/)?") + glob(line);
      rules.add(new Rule(Pattern.compile(regex), negate, foldersOnly));
    }
    return new Ignores(rules);
  }

  /** Whether {@code path} (relative, '/'-separated) is ignored; the last matching rule wins. */
  public boolean ignored(String path, boolean folder) {
    boolean ignored = false;
    for (Rule rule : rules) {
      if ((!rule.foldersOnly() || folder) && rule.pattern().matcher(path).matches()) {
        ignored = !rule.negate();
      }
    }
    return ignored;
  }

  private static String glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
          i++;
          regex.append("/?");
        }
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }
}
