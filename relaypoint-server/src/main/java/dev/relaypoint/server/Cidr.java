package dev.relaypoint.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IP network in CIDR notation ({@code 192.0.2.0/24}, {@code ::1/128}); a bare address is a
 * single-host network. Only literals are accepted: a host name is refused, never looked up.
 *
 * @param network the network address with the host bits cleared
 * @param prefix  the prefix length (0–32 for IPv4, 0–128 for IPv6)
 */
public record Cidr(InetAddress network, int prefix) {

  public Cidr {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("prefix /" + prefix + " out of range for " + network.getHostAddress());
    }
    network = mask(network, prefix);
  }

  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String host = slash < 0 ? t : t.substring(0, slash);
    if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.matches("[0-9.]+"))) {
      throw new IllegalArgumentException("not an IP network: '" + text + "'");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP network: '" + text + "'", e);
    }
    int bits = address.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'", e);
      }
    }
    return new Cidr(address, prefix);
  }

  /** True when {@code address} (an IP literal as text, as sessions record it) is in this network. */
  public boolean contains(String address) {
    try {
      if (address.isEmpty() || !(address.indexOf(':') >= 0 || address.matches("[0-9.]+"))) {
        return false;
      }
      return contains(InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.getAddress().length) {
      return false; // an IPv4-mapped IPv6 address arrives as IPv4 from Java sockets
    }
    return Arrays.equals(mask(address, prefix).getAddress(), network.getAddress());
  }

  private static InetAddress mask(InetAddress address, int prefix) {
    byte[] b = address.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("cannot happen: address of valid length", e);
    }
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }
}
