import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * This machine's floor for durable small-file commits, as bench/peers measures it: N files of a
 * few bytes, each written to a temporary file, fsynced, renamed into place and its folder fsynced
 * (what any store must do to keep a file through a power cut), one after another. Prints the rate.
 * Usage: java bench/lib/FsyncFloor.java DIR N
 */
public class FsyncFloor {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int n = Integer.parseInt(args[1]);
    long t0 = System.nanoTime();
    try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
      for (int i = 0; i < n; i++) {
        Path tmp = dir.resolve(".f" + i + ".tmp");
        try (FileChannel out =
            FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          out.write(ByteBuffer.wrap(("file " + i).getBytes()));
          out.force(true);
        }
        Files.move(tmp, dir.resolve("f" + i + ".txt"), StandardCopyOption.ATOMIC_MOVE);
        folder.force(true);
      }
    }
    System.out.printf("%.1f%n", n / ((System.nanoTime() - t0) / 1e9));
  }
}
