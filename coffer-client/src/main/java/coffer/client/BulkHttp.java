package coffer.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;

/**
 * Chunk transfers over blocking connections, one per worker thread with keep-alive. The JDK's
 * {@code HttpClient} moves every connection's bytes through one selector thread, which caps bulk
 * throughput far below what a loopback or LAN link carries; chunk bodies are sized and buffered, so
 * plain blocking I/O is both simpler and several times faster here.
 */
final class BulkHttp {

  private BulkHttp() {}

  /** A response: the status and the whole body. */
  record Response(int status, byte[] body) {}

  static Response put(URI url, Map<String, String> headers, byte[] body) throws IOException {
    HttpURLConnection connection = open(url, "PUT", headers);
    connection.setDoOutput(true);
    connection.setFixedLengthStreamingMode(body.length);
    connection.setRequestProperty("Content-Type", "application/octet-stream");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    } catch (IOException e) {
      // A store that refuses the request (say, an expired URL) may answer and close before the
      // body is sent; its answer is still worth reading.
      try {
        return read(connection);
      } catch (IOException noAnswer) {
        e.addSuppressed(noAnswer);
        throw e;
      }
    }
    return read(connection);
  }

  /** Reads a successful answer's body as it arrives. */
  interface BodyReader {
    void read(InputStream body) throws IOException;
  }

  /**
   * POSTs {@code body}; a successful answer (2xx) is handed to {@code reader} as a stream and comes
   * back with an empty body, any other comes back whole.
   */
  static Response post(URI url, Map<String, String> headers, byte[] body, BodyReader reader)
      throws IOException {
    HttpURLConnection connection = open(url, "POST", headers);
    connection.setDoOutput(true);
    connection.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
    int status = connection.getResponseCode();
    if (status < 200 || status >= 300) {
      return read(connection);
    }
    try (InputStream in = connection.getInputStream()) {
      reader.read(in);
      // Drain whatever is left so the connection can be reused.
      in.transferTo(OutputStream.nullOutputStream());
    }
    return new Response(status, new byte[0]);
  }

  static Response get(URI url, Map<String, String> headers) throws IOException {
    return read(open(url, "GET", headers));
  }

  private static HttpURLConnection open(URI url, String method, Map<String, String> headers)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
    connection.setRequestMethod(method);
    connection.setConnectTimeout(10_000);
    connection.setReadTimeout(120_000);
    connection.setUseCaches(false);
    if (headers != null) {
      headers.forEach(connection::setRequestProperty);
    }
    return connection;
  }

  private static Response read(HttpURLConnection connection) throws IOException {
    int status = connection.getResponseCode();
    InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    byte[] body;
    if (stream == null) {
      body = new byte[0];
    } else {
      try (InputStream in = stream) {
        int length = connection.getContentLength();
        body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
        // Drain whatever is left so the connection can be reused.
        in.transferTo(OutputStream.nullOutputStream());
      }
    }
    return new Response(status, body);
  }
}
