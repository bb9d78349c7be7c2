package coffer.server.http;

/**
 * One byte range of a {@code Range: bytes=…} header. Several ranges in one header are answered with
 * the whole file, which RFC 9110 allows.
 */
record ByteRange(long start, long end, long size) {

  /** The range asked for, or null to send the whole file. */
  static ByteRange parse(String header, long size) {
    if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
      return null;
    }
    String spec = header.substring(6).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).strip();
      String last = spec.substring(dash + 1).strip();
      if (first.startsWith("-")
          || last.startsWith("-")
          || last.startsWith("+")
          || first.startsWith("+")) {
        return null;
      }
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        return new ByteRange(Math.max(0, size - suffix), size - 1, size);
      }
      long start = Long.parseLong(first);
      long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
      if (end < start && start < size) {
        return null;
      }
      return new ByteRange(start, end, size);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  boolean satisfiable() {
    return start < size && start <= end;
  }

  long length() {
    return end - start + 1;
  }
}
