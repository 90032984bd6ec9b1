package dev.relaypoint.server.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Compares client IP addresses by their leading bits (checkpoint binding to a client prefix). */
final class AddressPrefix {

  private AddressPrefix() {}

  /** Whether two textual IP literals share their first v4Bits (IPv4) or v6Bits (IPv6) bits. */
  static boolean samePrefix(String a, String b, int v4Bits, int v6Bits) {
    byte[] x = literal(a);
    byte[] y = literal(b);
    if (x == null || y == null || x.length != y.length) {
      return a.equals(b);
    }
    int bits = x.length == 4 ? v4Bits : v6Bits;
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((x[i / 8] & mask) != (y[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The network of {@code address} as text, e.g. {@code 192.0.2.0/24} or {@code 2001:db8:1:2::/64};
   * a text that is no IP literal is returned as it is.
   */
  static String network(String address, int v4Bits, int v6Bits) {
    byte[] x = literal(address);
    if (x == null) {
      return address;
    }
    int bits = x.length == 4 ? v4Bits : v6Bits;
    for (int i = 0; i < x.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      x[i] &= (byte) (0xff00 >>> keep);
    }
    try {
      return InetAddress.getByAddress(x).getHostAddress() + "/" + bits;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  /** The address bytes of an IP literal; never a DNS lookup (only digits, dots, hex and colons pass). */
  private static byte[] literal(String text) {
    if (text.indexOf('.') < 0 && text.indexOf(':') < 0 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
