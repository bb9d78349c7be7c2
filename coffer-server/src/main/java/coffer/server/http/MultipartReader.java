package coffer.server.http;

import coffer.core.error.BadRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} body part by part, streaming each part's bytes instead of
 * spooling them to memory or disk first. Parts must be read in order: asking for the next part
 * skips what is left of the current one. Not thread-safe.
 */
final class MultipartReader {

  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buffer = new byte[128 * 1024];
  private int pos;
  private int lim;
  private boolean eof;
  private PartStream current;
  private boolean finished;

  /** One part: its form field name, optional file name and content type, and its bytes. */
  record Part(String name, String filename, String contentType, InputStream body) {}

  MultipartReader(InputStream in, String boundary) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    // The first boundary has no CRLF before it; pretend it does so one delimiter fits all.
    buffer[0] = '\r';
    buffer[1] = '\n';
    lim = 2;
  }

  /** The boundary of a {@code multipart/form-data} content type, or null when it is not one. */
  static String boundary(String contentType) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return null;
    }
    for (String param : contentType.split(";")) {
      String p = param.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String value = p.substring("boundary=".length());
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value.isEmpty() || value.length() > 70 ? null : value;
      }
    }
    return null;
  }

  /** The next part, or null after the closing boundary. */
  Part next() throws IOException {
    if (finished) {
      return null;
    }
    (current == null ? new PartStream() : current).transferTo(OutputStream.nullOutputStream());
    ensure(2);
    if (lim - pos < 2) {
      throw malformed("the body ended inside a boundary");
    }
    if (buffer[pos] == '-' && buffer[pos + 1] == '-') {
      finished = true;
      current = null;
      return null;
    }
    Map<String, String> headers = readHeaders();
    String disposition = headers.getOrDefault("content-disposition", "");
    String name = param(disposition, "name");
    if (name == null) {
      throw malformed("a part has no name");
    }
    current = new PartStream();
    return new Part(name, param(disposition, "filename"), headers.get("content-type"), current);
  }

  private Map<String, String> readHeaders() throws IOException {
    // After the delimiter: optional whitespace, then CRLF, then header lines, then an empty line.
    Map<String, String> headers = new HashMap<>();
    int read = 0;
    String line = readLine();
    if (!line.isBlank()) {
      throw malformed("a boundary is not followed by a line break");
    }
    while (!(line = readLine()).isEmpty()) {
      read += line.length();
      if (read > MAX_HEADER_BYTES) {
        throw malformed("part headers are too long");
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    return headers;
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      ensure(2);
      if (lim - pos < 2) {
        throw malformed("the body ended inside part headers");
      }
      if (buffer[pos] == '\r' && buffer[pos + 1] == '\n') {
        pos += 2;
        return line.toString();
      }
      if (line.length() > MAX_HEADER_BYTES) {
        throw malformed("part headers are too long");
      }
      line.append((char) (buffer[pos++] & 0xff));
    }
  }

  private static String param(String header, String key) {
    for (String piece : header.split(";")) {
      String p = piece.strip();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase(key)) {
        String value = p.substring(eq + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        // Browsers send UTF-8 names in quoted strings; headers were read as Latin-1.
        return new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** Makes at least {@code n} unread bytes available unless the stream ends first. */
  private void ensure(int n) throws IOException {
    if (lim - pos >= n || eof) {
      return;
    }
    if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    while (lim - pos < n && !eof) {
      int r = in.read(buffer, lim, buffer.length - lim);
      if (r < 0) {
        eof = true;
      } else {
        lim += r;
      }
    }
  }

  private int indexOfDelimiter() {
    int last = lim - delimiter.length;
    byte first = delimiter[0];
    outer:
    for (int i = pos; i <= last; i++) {
      if (buffer[i] != first) {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buffer[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static BadRequestException malformed(String why) {
    return new BadRequestException("malformed-multipart", "Malformed multipart body: " + why + ".");
  }

  /** The bytes of one part, ending just before the next delimiter. */
  private final class PartStream extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      ensure(delimiter.length);
      int index = indexOfDelimiter();
      if (index == pos) {
        pos += delimiter.length;
        done = true;
        return -1;
      }
      int safe;
      if (index >= 0) {
        safe = index;
      } else if (eof) {
        throw malformed("the body ended before the closing boundary");
      } else {
        safe = lim - delimiter.length + 1;
      }
      int n = Math.min(len, safe - pos);
      System.arraycopy(buffer, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
