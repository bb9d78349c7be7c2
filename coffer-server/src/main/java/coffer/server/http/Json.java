package coffer.server.http;

import coffer.core.error.BadRequestException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;

/** The server's one JSON mapper: ISO-8601 times, nulls left out, unknown fields ignored. */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setDefaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));

  private Json() {}

  /** Parses a request body; malformed JSON is the client's mistake (400), never a 500. */
  static <T> T read(InputStream body, Class<T> type) {
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new BadRequestException("malformed-json", "The request body is empty.");
      }
      return value;
    } catch (JacksonException e) {
      // Jackson wraps what the body's stream threw, such as the 413 of a body past its limit:
      // that answer is the one to give, not "malformed".
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof coffer.core.error.CofferException refused) {
          throw refused;
        }
      }
      throw new BadRequestException(
          "malformed-json",
          "The request body is not valid JSON for this request: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequestException("malformed-json", "The request body could not be read.");
    }
  }

  static <T> T read(byte[] body, Class<T> type) {
    return read(new java.io.ByteArrayInputStream(body), type);
  }
}
