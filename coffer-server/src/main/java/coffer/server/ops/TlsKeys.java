package coffer.server.ops;

import coffer.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files given to {@code --tls-cert} and {@code --tls-key} into a key store for the
 * HTTPS connector, with messages that say what is wrong with which file.
 */
public final class TlsKeys {

  /** The in-memory key store's password: it never leaves the process. */
  public static final char[] PASSWORD = "coffer".toCharArray();

  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private TlsKeys() {}

  /** The certificate chain and its private key as a key store with one entry, "coffer". */
  public static KeyStore load(ServerConfig.Tls tls) {
    List<Certificate> chain = certificates(tls);
    PrivateKey key = privateKey(tls);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("coffer", key, PASSWORD, chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "the key in "
              + tls.key()
              + " does not belong to the certificate in "
              + tls.certificate()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static List<Certificate> certificates(ServerConfig.Tls tls) {
    byte[] pem = read(tls.certificate(), "--tls-cert");
    try {
      Collection<? extends Certificate> chain =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
      if (chain.isEmpty()) {
        throw new IllegalArgumentException(
            "--tls-cert " + tls.certificate() + " holds no PEM certificate");
      }
      return List.copyOf(chain);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--tls-cert " + tls.certificate() + " is not a PEM certificate chain: " + e.getMessage(),
          e);
    }
  }

  private static PrivateKey privateKey(ServerConfig.Tls tls) {
    String pem = new String(read(tls.key(), "--tls-key"), StandardCharsets.US_ASCII);
    Matcher m = PRIVATE_KEY.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "--tls-key "
              + tls.key()
              + " is not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with:"
              + " openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(
        "--tls-key " + tls.key() + " holds a key that is not EC, RSA or Ed25519");
  }

  private static byte[] read(java.nio.file.Path file, String option) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          option + " " + file + " cannot be read: " + e.getMessage(), e);
    }
  }
}
