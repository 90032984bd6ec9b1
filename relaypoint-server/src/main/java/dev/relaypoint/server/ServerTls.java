package dev.relaypoint.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Server TLS contexts for STARTTLS (RFC 3207) and implicit TLS (RFC 8314): TLS 1.3 and 1.2 only.
 * Either from PEM files the operator provides, or from a self-signed certificate generated on first
 * start and kept (key mode 0600) so that clients which pin it keep working across restarts.
 */
public final class ServerTls {

  /** The only protocol versions offered. */
  public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  static final String SELF_SIGNED_CERT = "selfsigned-cert.pem";
  static final String SELF_SIGNED_KEY = "selfsigned-key.pem";

  private ServerTls() {}

  /** From a PEM certificate chain and a PEM private key (PKCS#8, or PKCS#1/SEC1 via BouncyCastle). */
  public static SslContext fromPem(Path certificateChain, Path privateKey) throws IOException {
    try {
      return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
          .protocols(PROTOCOLS).build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("cannot load TLS certificate " + certificateChain + " / key " + privateKey
          + ": " + e.getMessage(), e);
    }
  }

  /** The self-signed certificate in {@code dir} for {@code hostname}, generated there if missing. */
  public static SslContext selfSigned(Path dir, String hostname) throws IOException {
    Path cert = dir.resolve(SELF_SIGNED_CERT);
    Path key = dir.resolve(SELF_SIGNED_KEY);
    if (!Files.exists(cert) || !Files.exists(key)) {
      Files.createDirectories(dir);
      generate(cert, key, hostname);
    }
    return fromPem(cert, key);
  }

  private static void generate(Path certFile, Path keyFile, String hostname) throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      KeyPair pair = generator.generateKeyPair();
      X500Name name = new X500Name("CN=" + hostname.replaceAll("[^A-Za-z0-9.-]", ""));
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
          new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
          Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      OwnerOnlyFiles.write(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      OwnerOnlyFiles.write(certFile, pem("CERTIFICATE", cert.getEncoded()));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot generate a self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
