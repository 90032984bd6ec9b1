package dev.relaypoint.client.internal;

import dev.relaypoint.client.AddressResolver;
import dev.relaypoint.client.Destination;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * MX and A/AAAA resolution with dnsjava (RFC 5321 §5.1): MX hosts by preference, equal preferences
 * shuffled, each host's IPv4 then IPv6 addresses; no MX means the domain's own addresses; a null MX
 * (RFC 7505) or NXDOMAIN is permanent. Each lookup uses a fresh cache, because RFC 1845 §3 wants
 * the lookup redone after a break, not served from memory. A {@link Destination.Server} that DNS does
 * not know (e.g. "localhost") falls back to the system resolver when no name server was given.
 */
public final class DnsJavaResolver implements AddressResolver {

  private final InetSocketAddress nameServer;

  /** @param nameServer null for the system's name servers */
  public DnsJavaResolver(InetSocketAddress nameServer) {
    this.nameServer = nameServer;
  }

  @Override
  public List<InetSocketAddress> resolve(Destination destination) throws IOException {
    if (destination instanceof Destination.Server s) {
      return withPort(hostAddresses(s.host(), true), s.port());
    }
    Destination.Mx mx = (Destination.Mx) destination;
    Lookup lookup = lookup(mx.domain(), Type.MX);
    Record[] records = lookup.run();
    switch (lookup.getResult()) {
      case Lookup.SUCCESSFUL -> { }
      case Lookup.TYPE_NOT_FOUND -> {
        return withPort(hostAddresses(mx.domain(), false), mx.port()); // implicit MX
      }
      case Lookup.HOST_NOT_FOUND -> throw new UnknownHostException("no such domain: " + mx.domain());
      default -> throw new IOException("DNS lookup of MX " + mx.domain() + " failed: " + lookup.getErrorString());
    }
    List<MXRecord> mxs = new ArrayList<>();
    for (Record r : records) {
      mxs.add((MXRecord) r);
    }
    Collections.shuffle(mxs); // then a stable sort keeps equal preferences in random order
    mxs.sort(Comparator.comparingInt(MXRecord::getPriority));
    if (mxs.size() == 1 && mxs.get(0).getTarget().equals(Name.root)) {
      throw new UnknownHostException(mx.domain() + " accepts no mail (null MX)");
    }
    List<InetSocketAddress> out = new ArrayList<>();
    IOException last = null;
    for (MXRecord r : mxs) {
      try {
        out.addAll(withPort(hostAddresses(r.getTarget().toString(true), false), mx.port()));
      } catch (IOException e) {
        last = e; // one broken MX host does not stop the others
      }
    }
    if (out.isEmpty()) {
      throw last != null ? last : new UnknownHostException("no addresses for the MX hosts of " + mx.domain());
    }
    return out;
  }

  private List<InetAddress> hostAddresses(String host, boolean systemFallback) throws IOException {
    if (Character.digit(host.charAt(0), 16) >= 0 && (host.indexOf(':') >= 0 || host.matches("[0-9.]+"))) {
      return List.of(InetAddress.getByName(host)); // an IP literal: no lookup
    }
    List<InetAddress> out = new ArrayList<>();
    boolean tryAgain = false;
    for (int type : new int[] {Type.A, Type.AAAA}) {
      Lookup lookup = lookup(host, type);
      Record[] records = lookup.run();
      if (lookup.getResult() == Lookup.SUCCESSFUL) {
        for (Record r : records) {
          InetAddress ip = r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress();
          out.add(InetAddress.getByAddress(host, ip.getAddress()));
        }
      } else if (lookup.getResult() == Lookup.TRY_AGAIN || lookup.getResult() == Lookup.UNRECOVERABLE) {
        tryAgain = true;
      }
    }
    if (out.isEmpty() && systemFallback && nameServer == null) {
      return List.of(InetAddress.getAllByName(host));
    }
    if (out.isEmpty()) {
      throw tryAgain ? new IOException("DNS lookup of " + host + " failed, try again")
          : new UnknownHostException("no A or AAAA record for " + host);
    }
    return out;
  }

  private Lookup lookup(String name, int type) throws IOException {
    try {
      Lookup lookup = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
      lookup.setResolver(resolver());
      lookup.setCache(new Cache());
      return lookup;
    } catch (TextParseException e) {
      throw new UnknownHostException("not a domain name: " + name);
    }
  }

  private Resolver resolver() throws UnknownHostException {
    return nameServer == null ? new ExtendedResolver() : new SimpleResolver(nameServer);
  }

  private static List<InetSocketAddress> withPort(List<InetAddress> addresses, int port) {
    List<InetSocketAddress> out = new ArrayList<>(addresses.size());
    for (InetAddress a : addresses) {
      out.add(new InetSocketAddress(a, port));
    }
    return out;
  }
}
