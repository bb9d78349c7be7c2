package coffer.core.api;

import java.io.IOException;
import java.util.List;

/**
 * The whole content of many small files in one exchange ({@code POST /api/v1/files/contents}): a
 * device receiving a folder of small files asks for them together instead of a manifest and a chunk
 * each. The answer is one frame per file asked for, in order: a {@link Header} as one line of JSON,
 * then, when the header has no problem, exactly {@code size} bytes of content.
 */
public final class Contents {

  /** The most files one request may ask for. */
  public static final int MAX_FILES = 1000;

  /** The largest file sent whole; a larger one is answered with a {@code too-large} problem. */
  public static final long MAX_FILE_SIZE = 1 << 20;

  private Contents() {}

  /** The files asked for. */
  public record Request(List<Ref> files) {}

  /** One file: revision {@code revision} of file {@code id}, or its current one when null. */
  public record Ref(String id, String revision) {}

  /**
   * One frame's header: the file's revision, content hash and size, followed by its bytes; or the
   * problem that keeps this one file from being sent (the others still are).
   */
  public record Header(String id, String revision, String contentHash, Long size, Problem problem) {

    public static Header of(String id, String revision, String contentHash, long size) {
      return new Header(id, revision, contentHash, size, null);
    }

    public static Header refused(String id, Problem problem) {
      return new Header(id, null, null, null, problem);
    }
  }

  /** Takes each frame as it arrives: its header, and its bytes (null with a problem). */
  public interface Sink {
    void accept(Header header, byte[] data) throws IOException;
  }
}
