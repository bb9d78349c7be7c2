package coffer.core.api;

import java.io.IOException;
import java.util.List;

/**
 * The whole content of many small files in one exchange ({@code POST /api/v1/contents}): a device
 * receiving a folder of small files asks for them together instead of a manifest and a chunk each.
 * The answer is one frame per file asked for, in order: a {@link Header} as one line of JSON, then,
 * when the header has no problem, exactly {@code size} bytes of content.
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
   * One frame's header: the file's revision, content hash, size and chunks (as the file was cut
   * when stored, so a receiver can check each piece whatever chunker made it), followed by its
   * bytes; or the problem that keeps this one file from being sent (the others still are).
   */
  public record Header(
      String id,
      String revision,
      String contentHash,
      Long size,
      List<ChunkInfo> chunks,
      Problem problem) {

    /** The header of {@code file}'s bytes, cut into {@code chunks}. */
    public static Header of(FileMetadata file, List<ChunkInfo> chunks) {
      return new Header(file.id(), file.revision(), file.contentHash(), file.size(), chunks, null);
    }

    public static Header refused(String id, Problem problem) {
      return new Header(id, null, null, null, null, problem);
    }
  }

  /** Takes each frame as it arrives: its header, and its bytes (null with a problem). */
  public interface Sink {
    void accept(Header header, byte[] data) throws IOException;
  }
}
