package coffer.server.support;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A {@code multipart/form-data} body built by hand, so tests control every byte. Part contents are
 * streamed, never copied into one big array.
 */
public final class Multipart {

  private final String boundary = "coffer-test-" + UUID.randomUUID();
  private final List<Piece> pieces = new ArrayList<>();
  private boolean closed = true;

  private record Piece(Supplier<InputStream> content, long length) {}

  /** A part holding JSON text, such as {@code fileMetadata}. */
  public Multipart json(String name, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return part(
        "Content-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: application/json",
        () -> new ByteArrayInputStream(bytes),
        bytes.length);
  }

  /** A file part. */
  public Multipart file(String name, String filename, byte[] content) {
    return file(name, filename, () -> new ByteArrayInputStream(content), content.length);
  }

  /**
   * A file part whose content is streamed from {@code content}, which yields {@code length} bytes.
   */
  public Multipart file(String name, String filename, Supplier<InputStream> content, long length) {
    String disposition = "Content-Disposition: form-data; name=\"" + name + "\"";
    if (filename != null) {
      disposition += "; filename=\"" + filename + "\"";
    }
    return part(disposition + "\r\nContent-Type: application/octet-stream", content, length);
  }

  /** Leaves out the closing boundary, as a client that went away would. */
  public Multipart unterminated() {
    closed = false;
    return this;
  }

  public String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  public long length() {
    long length = 0;
    for (Piece piece : pieces()) {
      length += piece.length();
    }
    return length;
  }

  /** A body publisher that streams the body with an exact Content-Length. */
  public HttpRequest.BodyPublisher publisher() {
    return HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(this::stream), length());
  }

  /** A fresh stream of the whole body. */
  public InputStream stream() {
    List<InputStream> streams = new ArrayList<>();
    for (Piece piece : pieces()) {
      streams.add(piece.content().get());
    }
    return new SequenceInputStream(Collections.enumeration(streams));
  }

  private Multipart part(String headers, Supplier<InputStream> content, long length) {
    pieces.add(text("--" + boundary + "\r\n" + headers + "\r\n\r\n"));
    pieces.add(new Piece(content, length));
    pieces.add(text("\r\n"));
    return this;
  }

  private List<Piece> pieces() {
    List<Piece> all = new ArrayList<>(pieces);
    if (closed) {
      all.add(text("--" + boundary + "--\r\n"));
    }
    return all;
  }

  private static Piece text(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new Piece(() -> new ByteArrayInputStream(bytes), bytes.length);
  }
}
