package dev.relaypoint.client;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the client uses STARTTLS: the {@link TlsMode} and, for {@link TlsMode#REQUIRED}, how the server is
 * authenticated. TLS 1.3 and 1.2 only. The default trust is the JVM's CA certificates; a PEM file of CA
 * (or self-signed server) certificates replaces them. The host name is checked against the certificate
 * (RFC 6125 rules as for HTTPS) unless turned off or trust is {@link #insecureTrustAllForLabUseOnly()}.
 *
 * <p>Which name is checked and sent as SNI: {@link #serverName()} if set, else the host of a
 * {@link Destination.Server}, else the MX host name the address was resolved from. An MX name from
 * unsigned DNS is only as trustworthy as DNS; pin a smarthost by name or certificate for real protection.
 *
 * <p>{@link TlsMode#OPPORTUNISTIC} never authenticates: a certificate check that failed there would
 * only turn an encrypted delivery into a plaintext one (RFC 7435), so the trust settings apply to
 * {@link TlsMode#REQUIRED} alone.
 *
 * @param mode              none, opportunistic or required
 * @param trustedCertificates a PEM file of trusted certificates; empty: the JVM's default trust store
 * @param insecure          trust any certificate and skip the name check (a lab, never production)
 * @param verifyHostname    check the server's name against its certificate
 * @param serverName        the name to verify and send as SNI, instead of the destination's
 */
public record TlsPolicy(TlsMode mode, Optional<Path> trustedCertificates, boolean insecure, boolean verifyHostname,
    Optional<String> serverName) {

  public TlsPolicy {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(trustedCertificates, "trustedCertificates");
    Objects.requireNonNull(serverName, "serverName");
    if (insecure && trustedCertificates.isPresent()) {
      throw new IllegalArgumentException("give trusted certificates or insecure trust, not both");
    }
    if (insecure) {
      verifyHostname = false; // no name is worth checking on a certificate nobody vouched for
    }
    serverName.ifPresent(n -> {
      if (n.isEmpty() || n.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
        throw new IllegalArgumentException("TLS server name must be printable ASCII without spaces");
      }
    });
  }

  public static TlsPolicy none() {
    return of(TlsMode.NONE);
  }

  public static TlsPolicy opportunistic() {
    return of(TlsMode.OPPORTUNISTIC);
  }

  /** STARTTLS required, the server authenticated by the JVM's trust store and its host name. */
  public static TlsPolicy required() {
    return of(TlsMode.REQUIRED);
  }

  public static TlsPolicy of(TlsMode mode) {
    return new TlsPolicy(mode, Optional.empty(), false, true, Optional.empty());
  }

  public TlsPolicy withMode(TlsMode m) {
    return new TlsPolicy(m, trustedCertificates, insecure, verifyHostname, serverName);
  }

  /** Trusts exactly the certificates in this PEM file (CA or self-signed server certificates). */
  public TlsPolicy trusting(Path pemFile) {
    return new TlsPolicy(mode, Optional.of(pemFile), false, verifyHostname, serverName);
  }

  /** Accepts any certificate for any name. Encrypts, but authenticates nothing: for a lab only. */
  public TlsPolicy insecureTrustAllForLabUseOnly() {
    return new TlsPolicy(mode, Optional.empty(), true, false, serverName);
  }

  public TlsPolicy withoutHostnameVerification() {
    return new TlsPolicy(mode, trustedCertificates, insecure, false, serverName);
  }

  public TlsPolicy withServerName(String name) {
    return new TlsPolicy(mode, trustedCertificates, insecure, verifyHostname, Optional.of(name));
  }
}
