package coffer.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP response, fully read.
 *
 * @param method the request method, for messages
 * @param path the request path, for messages
 * @param status the status code
 * @param headers the response headers
 * @param body the response body
 */
public record Reply(String method, String path, int status, HttpHeaders headers, byte[] body) {

  /** The body as JSON; fails the test when it is not JSON. */
  public JsonNode json() {
    try {
      return TestServer.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + this, e);
    }
  }

  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The first value of a header, or null. */
  public String header(String name) {
    return headers.firstValue(name).orElse(null);
  }

  public String contentType() {
    return header("Content-Type");
  }

  /** Asserts the status, describing the whole response when it differs; returns this. */
  public Reply expect(int expected) {
    assertThat(status).as("status of %s", this).isEqualTo(expected);
    return this;
  }

  /**
   * Asserts that this is an RFC 9457 problem with the given status and type slug (such as {@code
   * name-taken}); returns this.
   */
  public Reply expectProblem(int expected, String type) {
    expectProblem(expected);
    assertThat(json().path("type").asText())
        .as("problem type of %s", this)
        .isEqualTo("/problems/" + type);
    return this;
  }

  /** Asserts that this is an RFC 9457 problem with the given status; returns this. */
  public Reply expectProblem(int expected) {
    expect(expected);
    assertThat(contentType()).as("content type of %s", this).startsWith("application/problem+json");
    JsonNode problem = json();
    assertThat(problem.path("status").asInt()).as("status in %s", this).isEqualTo(expected);
    assertThat(problem.path("type").asText()).as("type in %s", this).startsWith("/problems/");
    assertThat(problem.path("detail").asText()).as("detail in %s", this).isNotBlank();
    return this;
  }

  /** The problem's {@code detail}. */
  public String detail() {
    return json().path("detail").asText();
  }

  @Override
  public String toString() {
    String type = contentType();
    if (type != null && type.startsWith("application/octet-stream")) {
      return method + " " + path + " -> " + status + " " + type + " <" + body.length + " bytes>";
    }
    String text = text();
    if (text.length() > 500) {
      text = text.substring(0, 500) + "…";
    }
    return method + " " + path + " -> " + status + " " + contentType() + " " + text;
  }
}
