package coffer.core.model;

import java.util.Locale;

/** What someone may do in a namespace or with a shared file. */
public enum Role {
  OWNER,
  EDITOR,
  VIEWER;

  /** Whether this role may change content. */
  public boolean canWrite() {
    return this != VIEWER;
  }

  /** The lowercase wire form: {@code owner}, {@code editor} or {@code viewer}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire form, ignoring case; null for anything else. */
  public static Role parse(String text) {
    if (text == null) {
      return null;
    }
    for (Role role : values()) {
      if (role.wire().equals(text.strip().toLowerCase(Locale.ROOT))) {
        return role;
      }
    }
    return null;
  }
}
