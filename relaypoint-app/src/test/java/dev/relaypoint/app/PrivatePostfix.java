package dev.relaypoint.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postfix instance for interop tests: its own config_directory, queue_directory and
 * data_directory under a temp dir, smtpd on a free loopback port (never 25), mail for {@code pf.test}
 * delivered by virtual(8) into a Maildir under the temp dir, everything else relayed to
 * {@code relayhost}. The system Postfix configuration is never read or changed. Needs root (Postfix's
 * master runs as root) and the Debian postfix package.
 */
final class PrivatePostfix implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final Process master;

  private PrivatePostfix(Path dir, int port, Process master) {
    this.dir = dir;
    this.port = port;
    this.master = master;
  }

  static PrivatePostfix start(Path dir, int relayPort) throws IOException, InterruptedException {
    ExternalTool postfix = ExternalTool.require("/usr/sbin/postfix", "postfix");
    ExternalTool postconf = ExternalTool.require("/usr/sbin/postconf", "postfix");
    int port = freePort();
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Path mail = Files.createDirectories(dir.resolve("mail"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("spool"));
    // Postfix's daemons drop to the postfix user: it must be able to reach data/ and mail/ (the test's
    // temp dir is 0700). Nothing secret is in there.
    Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    Files.setOwner(mail, users.lookupPrincipalByName("postfix"));
    Files.setOwner(data, users.lookupPrincipalByName("postfix"));
    Files.copy(Path.of("/etc/postfix/master.cf.proto"), etc.resolve("master.cf"));
    Files.write(etc.resolve("main.cf"), List.of(
        "compatibility_level = 3.6",
        "queue_directory = " + dir.resolve("spool"),
        "data_directory = " + data,
        "myhostname = pf.test", "mydomain = pf.test", "myorigin = $myhostname", "mydestination =",
        "inet_interfaces = 127.0.0.1", "inet_protocols = ipv4", "mynetworks = 127.0.0.0/8",
        "alias_maps =", "alias_database =", "local_recipient_maps =",
        "virtual_mailbox_domains = pf.test", "virtual_mailbox_base = " + mail,
        "virtual_mailbox_maps = static:pf.test/", "virtual_uid_maps = static:" + passwd("postfix", 2),
        "virtual_gid_maps = static:" + passwd("postfix", 3), "virtual_minimum_uid = 1", "virtual_mailbox_limit = 0",
        "relayhost = [127.0.0.1]:" + relayPort, "smtp_host_lookup = native",
        "maillog_file = /dev/stdout", "smtpd_banner = $myhostname ESMTP", "biff = no",
        "append_dot_mydomain = no", "readme_directory = no", "shlib_directory = /usr/lib/postfix",
        "message_size_limit = 209715200"));
    run(postconf, dir, "-c", etc.toString(), "-M#", "smtp/inet");
    run(postconf, dir, "-c", etc.toString(), "-M",
        "127.0.0.1:" + port + "/inet = 127.0.0.1:" + port + " inet n - n - - smtpd");
    run(postconf, dir, "-c", etc.toString(), "-F", "*/*/chroot = n");
    Process master = new ProcessBuilder(postfix.executable().toString(), "-c", etc.toString(), "start-fg")
        .redirectErrorStream(true).redirectOutput(dir.resolve("postfix.log").toFile()).start();
    PrivatePostfix pf = new PrivatePostfix(dir, port, master);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!pf.listening()) {
      if (System.nanoTime() > deadline || !master.isAlive()) {
        pf.close();
        throw new IllegalStateException("private Postfix did not start:\n" + pf.log());
      }
      Thread.sleep(100);
    }
    return pf;
  }

  int port() {
    return port;
  }

  String log() throws IOException {
    Path log = dir.resolve("postfix.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Files delivered by virtual(8) for pf.test. */
  List<Path> delivered() throws IOException {
    Path box = dir.resolve("mail/pf.test/new");
    if (!Files.isDirectory(box)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(box)) {
      return s.toList();
    }
  }

  private boolean listening() {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    new ProcessBuilder("/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "stop")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(20, TimeUnit.SECONDS);
    if (!master.waitFor(20, TimeUnit.SECONDS)) {
      master.destroyForcibly();
    }
  }

  private static void run(ExternalTool tool, Path dir, String... args) throws IOException, InterruptedException {
    ExternalTool.Result r = tool.run(dir, args);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(tool.executable() + " " + String.join(" ", args) + ": " + r.output());
    }
  }

  /** Field {@code field} (2 uid, 3 gid) of {@code user}'s /etc/passwd line. */
  private static String passwd(String user, int field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
      String[] f = line.split(":");
      if (f[0].equals(user)) {
        return f[field];
      }
    }
    throw new IOException("no user " + user);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
