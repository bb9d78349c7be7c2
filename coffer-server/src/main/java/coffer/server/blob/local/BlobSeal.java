package coffer.server.blob.local;

import coffer.core.error.StorageException;
import coffer.core.hash.Sha256;
import coffer.server.blob.VerifiedBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Encryption at rest for one chunk: compressed with LZ4 where that saves space, then sealed with
 * AES-256-GCM under a key derived from the master key and the chunk's hash.
 *
 * <p>A sealed blob is a 25-byte header followed by the ciphertext and its 16-byte tag:
 *
 * <pre>
 * 'C' 'F' 'B' 1 | flags (1 byte, bit 0: LZ4) | key id (int32) | plain length (int32) | nonce (12)
 * </pre>
 *
 * The header and the chunk's hash are authenticated with the ciphertext, so a blob cannot be moved
 * under another chunk's name, its flags or length changed, or its key id swapped without {@link
 * #open} refusing it. Each chunk gets its own key (HMAC-SHA256 of its hash under the master key's
 * derived key) and a random nonce.
 */
public final class BlobSeal {

  private static final byte[] MAGIC = {'C', 'F', 'B', 1};
  private static final int FLAG_LZ4 = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  static final int HEADER = MAGIC.length + 1 + 4 + 4 + NONCE;

  /** Chunks shorter than this are not worth compressing. */
  private static final int COMPRESS_MIN = 4 << 10;

  /** How much of a chunk is compressed first, to skip incompressible data cheaply. */
  private static final int PROBE = 64 << 10;

  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MasterKeys keys;
  private final boolean sealing;

  /** Per key id: the key chunk keys are derived from (HKDF-extract of the master key). */
  private final Map<Integer, byte[]> derived = new HashMap<>();

  /** Seals new blobs under the ring's current key and opens blobs sealed under any of its keys. */
  public BlobSeal(MasterKeys keys) {
    this(keys, true);
  }

  private BlobSeal(MasterKeys keys, boolean sealing) {
    this.keys = keys;
    this.sealing = sealing;
  }

  /**
   * Opens blobs sealed under the ring's keys but stores new ones as they are: encryption turned off
   * after it was on.
   */
  public static BlobSeal openOnly(MasterKeys keys) {
    return new BlobSeal(keys, false);
  }

  /** Whether new blobs are sealed. */
  public boolean sealing() {
    return sealing;
  }

  /** The key id new blobs are sealed under. */
  public int currentKeyId() {
    return keys.currentId();
  }

  /** Whether {@code stored} starts like a sealed blob (a plain chunk may too, by chance). */
  static boolean looksSealed(byte[] stored) {
    return stored.length >= HEADER + TAG_BITS / 8
        && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /** Compresses where it pays and encrypts {@code plain}, the chunk named {@code hash}. */
  public byte[] seal(Sha256 hash, byte[] plain) {
    byte[] body = plain;
    int flags = 0;
    byte[] compressed = compress(plain);
    if (compressed != null) {
      body = compressed;
      flags |= FLAG_LZ4;
    }
    int keyId = keys.currentId();
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    header.put(MAGIC).put((byte) flags).putInt(keyId).putInt(plain.length).put(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keyId, hash, nonce, header.array());
      byte[] sealed = new byte[HEADER + cipher.getOutputSize(body.length)];
      System.arraycopy(header.array(), 0, sealed, 0, HEADER);
      cipher.doFinal(body, 0, body.length, sealed, HEADER);
      return sealed;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e, e);
    }
  }

  /**
   * Decrypts and decompresses a sealed blob and checks the result hashes to {@code hash}. A blob
   * that fails any check throws {@link StorageException} of type {@code blob-corrupt}; one sealed
   * under a key the ring does not hold, of type {@code blob-key-missing}.
   */
  public byte[] open(Sha256 hash, byte[] stored) {
    if (!looksSealed(stored)) {
      throw corrupt(hash, "it is not a sealed blob");
    }
    ByteBuffer header = ByteBuffer.wrap(stored, 0, HEADER);
    header.position(MAGIC.length);
    int flags = header.get() & 0xff;
    int keyId = header.getInt();
    int plainLength = header.getInt();
    byte[] nonce = new byte[NONCE];
    header.get(nonce);
    if ((flags & ~FLAG_LZ4) != 0 || plainLength < 0 || plainLength > VerifiedBytes.MAX_LENGTH) {
      throw corrupt(hash, "its header is damaged");
    }
    if (keys.key(keyId) == null) {
      throw new StorageException(
          "blob-key-missing",
          "blob "
              + hash
              + " is encrypted under master key "
              + keyId
              + ", which the master key file does not hold");
    }
    byte[] body;
    try {
      Cipher cipher =
          cipher(Cipher.DECRYPT_MODE, keyId, hash, nonce, Arrays.copyOf(stored, HEADER));
      body = cipher.doFinal(stored, HEADER, stored.length - HEADER);
    } catch (javax.crypto.AEADBadTagException e) {
      throw corrupt(hash, "it fails authentication");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e, e);
    }
    byte[] plain;
    if ((flags & FLAG_LZ4) != 0) {
      plain = decompress(hash, body, plainLength);
    } else if (body.length == plainLength) {
      plain = body;
    } else {
      throw corrupt(hash, "its length does not match its header");
    }
    if (!Sha256.of(plain).equals(hash)) {
      throw corrupt(hash, "its content does not hash to its name");
    }
    return plain;
  }

  private static byte[] compress(byte[] plain) {
    if (plain.length < COMPRESS_MIN) {
      return null;
    }
    LZ4Compressor compressor = LZ4.fastCompressor();
    int probe = Math.min(plain.length, PROBE);
    if (probe < plain.length) {
      byte[] sample = new byte[compressor.maxCompressedLength(probe)];
      int size = compressor.compress(plain, 0, probe, sample, 0, sample.length);
      if (size > probe - probe / 8) {
        return null;
      }
    }
    byte[] out = new byte[compressor.maxCompressedLength(plain.length)];
    int size = compressor.compress(plain, 0, plain.length, out, 0, out.length);
    // Worth it only when it saves at least a sixteenth.
    return size <= plain.length - plain.length / 16 ? Arrays.copyOf(out, size) : null;
  }

  private static byte[] decompress(Sha256 hash, byte[] body, int plainLength) {
    LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
    byte[] plain = new byte[plainLength];
    try {
      int size = decompressor.decompress(body, 0, body.length, plain, 0, plainLength);
      if (size != plainLength) {
        throw corrupt(hash, "it decompresses to the wrong length");
      }
    } catch (LZ4Exception e) {
      throw corrupt(hash, "it does not decompress");
    }
    return plain;
  }

  private Cipher cipher(int mode, int keyId, Sha256 hash, byte[] nonce, byte[] header)
      throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(derived(keyId), "HmacSHA256"));
    mac.update(hash.bytes());
    mac.update((byte) 1);
    byte[] chunkKey = mac.doFinal();
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(chunkKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(header);
    cipher.updateAAD(hash.bytes());
    return cipher;
  }

  /** HKDF-extract of the master key with this id, made once per key. */
  private synchronized byte[] derived(int keyId) throws GeneralSecurityException {
    byte[] key = derived.get(keyId);
    if (key == null) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              "coffer blob keys v1".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      key = mac.doFinal(keys.key(keyId));
      derived.put(keyId, key);
    }
    return key;
  }

  private static StorageException corrupt(Sha256 hash, String why) {
    return new StorageException("blob-corrupt", "blob " + hash + " is corrupt: " + why);
  }
}
