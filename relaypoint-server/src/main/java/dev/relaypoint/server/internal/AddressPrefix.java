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
