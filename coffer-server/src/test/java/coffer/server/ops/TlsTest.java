package coffer.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coffer.server.ServerConfig;
import coffer.server.support.TestServer;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls-cert}/{@code --tls-key}: the server speaks HTTPS with the given certificate. */
class TlsTest {

  @TempDir Path tmp;

  @Test
  void the_server_serves_https_with_the_given_certificate_and_refuses_plain_http()
      throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate certificate = selfSigned(pair);
    Path cert = pem(tmp.resolve("cert.pem"), certificate);
    Path key =
        pem(
            tmp.resolve("key.pem"),
            new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));

    try (TestServer server =
        TestServer.start(tmp.resolve("data"), c -> c.withTls(new ServerConfig.Tls(cert, key)))) {
      assertThat(server.url().getScheme()).isEqualTo("https");
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
      HttpResponse<String> answer =
          trusting.send(
              HttpRequest.newBuilder(server.url().resolve("/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("ok");

      URI plain = URI.create("http://127.0.0.1:" + server.url().getPort() + "/healthz");
      assertThatThrownBy(
              () ->
                  HttpClient.newBuilder()
                      .connectTimeout(Duration.ofSeconds(5))
                      .build()
                      .send(
                          HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(5)).build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void a_key_in_the_old_pkcs1_form_is_refused_with_the_command_that_converts_it() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    Path cert = pem(tmp.resolve("cert.pem"), selfSigned(pair));
    Path key = pem(tmp.resolve("key.pem"), pair.getPrivate()); // BEGIN RSA PRIVATE KEY
    assertThatThrownBy(() -> TlsKeys.load(new ServerConfig.Tls(cert, key)))
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    assertThatThrownBy(() -> TlsKeys.load(new ServerConfig.Tls(tmp.resolve("none.pem"), key)))
        .hasMessageContaining("--tls-cert")
        .hasMessageContaining("cannot be read");
  }

  private static X509Certificate selfSigned(KeyPair pair) throws Exception {
    X500Name name = new X500Name("CN=localhost");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofMinutes(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            name,
            pair.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
    String algorithm =
        pair.getPublic().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
  }

  private static Path pem(Path file, Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return Files.writeString(file, text.toString());
  }

  private static SSLContext trusting(X509Certificate certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("coffer", certificate);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
