package dev.relaypoint.client.internal;

import dev.relaypoint.client.TlsMode;
import dev.relaypoint.client.TlsPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Turns a {@link TlsPolicy} into client TLS sockets layered over a connected plain socket: TLS 1.3 and
 * 1.2 only, SNI when the name is not an address literal, and the host name checked when the policy
 * authenticates. Built once per client, so a missing or unreadable PEM file fails at build time.
 */
public final class TlsLayer {

  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final TlsPolicy policy;
  private final SSLContext context;
  private final boolean authenticate;

  private TlsLayer(TlsPolicy policy, SSLContext context, boolean authenticate) {
    this.policy = policy;
    this.context = context;
    this.authenticate = authenticate;
  }

  /** Checks the policy and loads its trust; throws {@link IllegalArgumentException} for a bad PEM file. */
  public static TlsLayer of(TlsPolicy policy) {
    boolean authenticate = policy.mode() == TlsMode.REQUIRED && !policy.insecure();
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      TrustManager[] trust = authenticate ? trustManagers(policy.trustedCertificates().orElse(null))
          : new TrustManager[] {new TrustAnything()};
      context.init(null, trust, null);
      return new TlsLayer(policy, context, authenticate);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JVM: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public TlsPolicy policy() {
    return policy;
  }

  /** The name to verify and send as SNI: the policy's override, else {@code destinationName}. */
  String peerName(String destinationName) {
    return policy.serverName().orElse(destinationName);
  }

  /** A client-mode TLS socket over {@code raw} (closing it closes {@code raw}); the handshake is not started. */
  SSLSocket layer(Socket raw, String peerName) throws IOException {
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, peerName, raw.getPort(), true);
    tls.setUseClientMode(true);
    SSLParameters params = tls.getSSLParameters();
    params.setProtocols(PROTOCOLS);
    if (!isAddressLiteral(peerName)) {
      params.setServerNames(List.of(new SNIHostName(IDN.toASCII(peerName, IDN.ALLOW_UNASSIGNED))));
    }
    if (authenticate && policy.verifyHostname()) {
      params.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818/6125 name matching, as SMTP uses it
    }
    tls.setSSLParameters(params);
    return tls;
  }

  private static boolean isAddressLiteral(String name) {
    return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  private static TrustManager[] trustManagers(Path pem) throws IOException, GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (pem == null) {
      factory.init((KeyStore) null); // the JVM's cacerts
      return factory.getTrustManagers();
    }
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pem)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (java.security.cert.CertificateException | UncheckedIOException e) {
      throw new IOException("cannot read trusted certificates from " + pem + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException("cannot read trusted certificates from " + pem + ": " + e, e);
    }
    if (certificates.isEmpty()) {
      throw new IOException("no PEM certificate in " + pem);
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int n = 0;
    for (Certificate c : certificates) {
      store.setCertificateEntry("trusted-" + n++, c);
    }
    factory.init(store);
    return factory.getTrustManagers();
  }

  /** Opportunistic TLS and the explicit lab option: encryption without authentication. */
  private static final class TrustAnything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // deliberately accepts: see TlsPolicy for when this is used
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
