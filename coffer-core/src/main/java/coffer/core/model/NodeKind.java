package coffer.core.model;

/** What a node is. */
public enum NodeKind {
  FILE,
  FOLDER;

  /** The lowercase wire form: {@code file} or {@code folder}. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
