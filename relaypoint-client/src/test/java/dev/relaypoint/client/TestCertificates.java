package dev.relaypoint.client;

import dev.relaypoint.server.ServerTls;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server's self-signed certificate for "server.test" ({@link ServerTls#selfSigned}), as the PEM file
 * a client trusts and as a JSSE server context for the blocking fake server.
 */
record TestCertificates(Path dir, Path certificate, Path key) {

  static final String HOST = "server.test";

  static TestCertificates in(Path dir) throws Exception {
    ServerTls.selfSigned(dir, HOST); // writes the PEM pair once
    return new TestCertificates(dir, dir.resolve("selfsigned-cert.pem"), dir.resolve("selfsigned-key.pem"));
  }

  io.netty.handler.ssl.SslContext netty() throws Exception {
    return ServerTls.selfSigned(dir, HOST);
  }

  SSLContext jsseServer() throws Exception {
    Certificate cert = CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificate)));
    String pem = Files.readString(key, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s", "");
    PrivateKey privateKey = KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", privateKey, new char[0], new Certificate[] {cert});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
