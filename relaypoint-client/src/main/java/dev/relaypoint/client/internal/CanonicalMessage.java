package dev.relaypoint.client.internal;

import dev.relaypoint.client.MessageSource;
import dev.relaypoint.smtp.wire.CrlfNormalizingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A message source seen in SMTP canonical form (CRLF line ends, final CRLF), scanned once up front
 * for its canonical size (for SIZE and to check 355 offsets), its SHA-256 (to recognise the same
 * message in persisted send state) and whether it holds 8-bit octets (for BODY=8BITMIME).
 *
 * <p>Re-opening at a canonical offset is a seek when the raw source was already canonical, and a
 * re-read through the normaliser otherwise; either way memory stays bounded.
 */
public final class CanonicalMessage {

  private final MessageSource source;
  private final long size;
  private final String sha256;
  private final boolean eightBit;
  private final boolean rawIsCanonical;

  private CanonicalMessage(MessageSource source, long size, String sha256, boolean eightBit, boolean raw) {
    this.source = source;
    this.size = size;
    this.sha256 = sha256;
    this.eightBit = eightBit;
    this.rawIsCanonical = raw;
  }

  public static CanonicalMessage scan(MessageSource source) throws IOException {
    MessageDigest digest = newSha256();
    boolean eightBit = false;
    try (CrlfNormalizingInputStream in = new CrlfNormalizingInputStream(source.open())) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) >= 0; ) {
        digest.update(buf, 0, n);
        if (!eightBit) {
          for (int i = 0; i < n; i++) {
            if (buf[i] < 0) {
              eightBit = true;
              break;
            }
          }
        }
      }
      return new CanonicalMessage(source, in.produced(), HexFormat.of().formatHex(digest.digest()), eightBit,
          in.changes() == 0);
    }
  }

  public long size() {
    return size;
  }

  public String sha256() {
    return sha256;
  }

  public boolean eightBit() {
    return eightBit;
  }

  public MessageSource source() {
    return source;
  }

  /**
   * Opens the canonical message at {@code offset}, which must be 0 or just after a LF (RFC 1845: a
   * DATA restart offset is at a line start), and at most the size.
   */
  public InputStream openAt(long offset) throws IOException {
    if (offset < 0 || offset > size) {
      throw new ProtocolViolationException("restart offset " + offset + " outside the message (size " + size + ")");
    }
    if (offset == 0) {
      return new CrlfNormalizingInputStream(source.open());
    }
    InputStream in = rawIsCanonical ? source.openAt(offset - 1) : skipped(offset - 1);
    boolean ok = false;
    try {
      int previous = in.read();
      if (previous != '\n') {
        throw new ProtocolViolationException("restart offset " + offset + " is not at a line start");
      }
      ok = true;
      return rawIsCanonical ? new CrlfNormalizingInputStream(in) : in;
    } finally {
      if (!ok) {
        in.close();
      }
    }
  }

  private InputStream skipped(long n) throws IOException {
    CrlfNormalizingInputStream in = new CrlfNormalizingInputStream(source.open());
    if (in.skip(n) != n) {
      in.close();
      throw new IOException(source.description() + " changed: shorter than when it was scanned");
    }
    return in;
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
