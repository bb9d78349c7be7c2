package coffer.server.files;

import coffer.core.manifest.Manifest;
import coffer.server.blob.BlobStore;
import java.io.InputStream;

/**
 * A byte range of a file, read chunk by chunk from the blob store. Each chunk is verified against
 * its hash as it is read, so corrupt data fails the response instead of reaching the client.
 */
public final class ManifestInputStream extends InputStream {

  private final BlobStore blobs;
  private final Manifest manifest;
  private int index;
  private byte[] current = new byte[0];
  private int position;
  private long remaining;

  /** Streams {@code length} bytes of the file starting at byte {@code start}. */
  public ManifestInputStream(BlobStore blobs, Manifest manifest, long start, long length) {
    this.blobs = blobs;
    this.manifest = manifest;
    this.index = manifest.chunkAt(start);
    this.remaining = length;
    if (index < manifest.chunks().size() && length > 0) {
      current = blobs.read(manifest.chunks().get(index).hash());
      position = (int) (start - manifest.offsetOf(index));
      index++;
    }
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (remaining <= 0) {
      return -1;
    }
    if (position >= current.length) {
      if (index >= manifest.chunks().size()) {
        return -1;
      }
      current = blobs.read(manifest.chunks().get(index++).hash());
      position = 0;
    }
    int n = (int) Math.min(Math.min(length, current.length - position), remaining);
    System.arraycopy(current, position, buffer, offset, n);
    position += n;
    remaining -= n;
    return n;
  }
}
