package coffer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.core.api.Contents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the frames of a contents answer: whole files, problems, and answers cut short. */
class ContentFramesTest {

  private record Got(Contents.Header header, byte[] data) {}

  private static List<Got> read(byte[] answer) throws IOException {
    List<Got> got = new ArrayList<>();
    CofferClient.readFrames(
        new ByteArrayInputStream(answer), (header, data) -> got.add(new Got(header, data)));
    return got;
  }

  private static byte[] answer(String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : parts) {
      out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Test
  void files_and_problems_arrive_in_order_with_their_bytes() throws IOException {
    List<Got> got =
        read(
            answer(
                "{\"id\":\"a\",\"revision\":\"r1\",\"contentHash\":\"h\",\"size\":6}\n",
                "line\n\n",
                "{\"id\":\"b\",\"problem\":{\"type\":\"/problems/too-large\",\"status\":413}}\n",
                "{\"id\":\"c\",\"revision\":\"r2\",\"contentHash\":\"h\",\"size\":0}\n"));

    assertThat(got).hasSize(3);
    assertThat(got.get(0).header().id()).isEqualTo("a");
    assertThat(new String(got.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("line\n\n");
    assertThat(got.get(1).data()).isNull();
    assertThat(got.get(1).header().problem().status()).isEqualTo(413);
    assertThat(got.get(2).data()).isEmpty();
  }

  @Test
  void an_empty_answer_has_no_frames() throws IOException {
    assertThat(read(new byte[0])).isEmpty();
  }

  @Test
  void an_answer_cut_inside_a_file_or_a_header_is_an_error_after_the_whole_frames() {
    List<Got> got = new ArrayList<>();
    assertThatThrownBy(
            () ->
                CofferClient.readFrames(
                    new ByteArrayInputStream(
                        answer(
                            "{\"id\":\"a\",\"revision\":\"r\",\"contentHash\":\"h\",\"size\":2}\nok",
                            "{\"id\":\"b\",\"revision\":\"r\",\"contentHash\":\"h\",\"size\":9}\nshort")),
                    (header, data) -> got.add(new Got(header, data))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ended inside a file");
    assertThat(got).hasSize(1);

    assertThatThrownBy(() -> read(answer("{\"id\":\"a\",\"size\"")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("inside a frame header");
  }

  @Test
  void a_malformed_or_oversized_frame_is_an_error() {
    assertThatThrownBy(() -> read(answer("not json\n")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> read(answer("{\"id\":\"a\"}\n")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed frame");
    assertThatThrownBy(
            () -> read(answer("{\"id\":\"a\",\"size\":" + (Contents.MAX_FILE_SIZE + 1) + "}\n")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed frame");
  }
}
