package dev.relaypoint.client.internal;

import dev.relaypoint.smtp.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Persists {@link SendState} as one small properties file per send, written crash-safely (temporary
 * file, fsync, atomic rename, directory fsync) so a killed process finds either the old or the new
 * state, never a torn one. The file name is a hash of destination, envelope and message digest: the
 * same send run again finds its state; anything else does not. A file that does not parse is ignored
 * (the send then starts afresh, which is always safe for the server).
 */
public final class StateStore {

  private final Path dir;

  public StateStore(Path dir) {
    this.dir = dir;
  }

  public static String key(String destination, String sender, List<String> recipients, String sha256) {
    MessageDigest d = CanonicalMessage.newSha256();
    for (String part : parts(destination, sender, recipients, sha256)) {
      d.update(part.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
    }
    return HexFormat.of().formatHex(d.digest()).substring(0, 32);
  }

  private static List<String> parts(String destination, String sender, List<String> recipients, String sha) {
    List<String> parts = new ArrayList<>(List.of(destination, sender, sha));
    parts.addAll(recipients);
    return parts;
  }

  public Path file(String key) {
    return dir.resolve(key + ".send");
  }

  public Optional<SendState> load(String key) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file(key), StandardCharsets.UTF_8)) {
      p.load(r);
      return Optional.of(fromProperties(p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public void save(String key, SendState state) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(key + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      toProperties(state).store(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8) {
        @Override
        public void close() throws IOException {
          flush(); // let the outer try close the stream
        }
      }, "relaypoint send state");
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDir();
  }

  public void delete(String key) throws IOException {
    if (Files.deleteIfExists(file(key))) {
      syncDir();
    }
  }

  private void syncDir() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot fsync a directory; the rename is still atomic
    }
  }

  private static Properties toProperties(SendState s) {
    Properties p = new Properties();
    p.setProperty("transid", s.transactionId());
    p.setProperty("ehlo", s.ehloName());
    p.setProperty("destination", s.destination());
    p.setProperty("sender", s.sender());
    p.setProperty("sha256", s.sha256());
    p.setProperty("size", Long.toString(s.size()));
    p.setProperty("rcpt.count", Integer.toString(s.recipients().size()));
    for (int i = 0; i < s.recipients().size(); i++) {
      String r = s.recipients().get(i);
      p.setProperty("rcpt." + i, r);
      Reply reply = s.rcptReplies().get(r);
      if (reply != null) {
        p.setProperty("rcpt." + i + ".code", Integer.toString(reply.code()));
        p.setProperty("rcpt." + i + ".enhanced", reply.enhancedCode());
        p.setProperty("rcpt." + i + ".text", reply.text());
      }
    }
    s.lastAddress().ifPresent(a -> {
      p.setProperty("host", a.getHostString());
      p.setProperty("ip", a.getAddress().getHostAddress());
      p.setProperty("port", Integer.toString(a.getPort()));
    });
    return p;
  }

  private static SendState fromProperties(Properties p) throws IOException {
    int count = Integer.parseInt(p.getProperty("rcpt.count"));
    List<String> recipients = new ArrayList<>();
    Map<String, Reply> replies = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String r = required(p, "rcpt." + i);
      recipients.add(r);
      String code = p.getProperty("rcpt." + i + ".code");
      if (code != null) {
        replies.put(r, Reply.of(Integer.parseInt(code), p.getProperty("rcpt." + i + ".enhanced", ""),
            p.getProperty("rcpt." + i + ".text", "")));
      }
    }
    Optional<InetSocketAddress> last = Optional.empty();
    if (p.getProperty("ip") != null) {
      InetAddress ip = InetAddress.getByName(p.getProperty("ip")); // a literal: no lookup
      last = Optional.of(new InetSocketAddress(InetAddress.getByAddress(p.getProperty("host"), ip.getAddress()),
          Integer.parseInt(p.getProperty("port"))));
    }
    return new SendState(required(p, "transid"), required(p, "ehlo"), required(p, "destination"),
        required(p, "sender"), recipients, required(p, "sha256"), Long.parseLong(required(p, "size")), last,
        replies);
  }

  private static String required(Properties p, String name) throws IOException {
    String v = p.getProperty(name);
    if (v == null) {
      throw new IOException("send state lacks " + name);
    }
    return v;
  }
}
