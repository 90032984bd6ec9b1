package dev.relaypoint.mta.internal;

import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.QueuedMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * Delivers one message to one local mailbox in Maildir format: {@code <root>/<domain>/<user>/new/}.
 * The file is written in {@code tmp/}, forced, renamed into {@code new/}, and {@code new/} is forced,
 * so a delivered message survives a crash. The file name is derived from the queue id and the recipient's
 * position, so a delivery repeated after a crash (before the queue entry was removed) finds the file
 * already in {@code new/} and does not deliver twice.
 */
public final class MaildirWriter {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

  private final Path root;
  private final String hostname;

  public MaildirWriter(Path root, String hostname) {
    this.root = root;
    this.hostname = hostname;
  }

  /** The Maildir folder of {@code address} (already validated and lower-cased by the server). */
  public Path mailbox(String address) {
    int at = address.lastIndexOf('@');
    String user = address.substring(0, at);
    String domain = address.substring(at + 1);
    if (user.isEmpty() || user.startsWith(".") || user.contains("/") || domain.contains("/")
        || domain.startsWith(".")) {
      throw new IllegalArgumentException("unsafe mailbox name: " + address);
    }
    return root.resolve(domain).resolve(user);
  }

  /** Delivers {@code message} to {@code recipients.get(index)}; returns false if it was already there. */
  public boolean deliver(QueuedMessage message, int index) throws IOException {
    Envelope envelope = message.envelope();
    String recipient = envelope.recipients().get(index);
    Path box = mailbox(recipient);
    for (String sub : new String[] {"tmp", "new", "cur"}) {
      createPrivateDirectories(box.resolve(sub));
    }
    String name = message.queueId() + "." + index + "." + safeHostname();
    Path target = box.resolve("new").resolve(name);
    if (Files.exists(target)) {
      return false;
    }
    Path tmp = box.resolve("tmp").resolve(name);
    byte[] headers = traceHeaders(message.queueId(), envelope, recipient);
    try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer head = ByteBuffer.wrap(headers);
      while (head.hasRemaining()) {
        out.write(head);
      }
      copy(message, out);
      out.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp);
      return false;
    }
    try (FileChannel dir = FileChannel.open(box.resolve("new"), StandardOpenOption.READ)) {
      dir.force(true);
    }
    return true;
  }

  private static void copy(QueuedMessage message, FileChannel out) throws IOException {
    FileChannel in = message.channel();
    long position = message.dataStart();
    long remaining = message.size();
    while (remaining > 0) {
      long n = in.transferTo(position, remaining, out);
      if (n <= 0) {
        throw new IOException("queue file " + message.queueId() + " ended early");
      }
      position += n;
      remaining -= n;
    }
  }

  byte[] traceHeaders(String queueId, Envelope e, String recipient) {
    String date = DATE.format(e.receivedAt().atOffset(ZoneOffset.UTC));
    String header = "Return-Path: <" + e.reversePath() + ">\r\n"
        + "Received: from " + e.heloName() + " ([" + e.clientAddress() + "])\r\n"
        + "\tby " + hostname + " (Relaypoint) with " + e.protocol() + " id " + queueId + "\r\n"
        + "\tfor <" + recipient + ">; " + date + "\r\n";
    return header.getBytes(StandardCharsets.UTF_8);
  }

  private String safeHostname() {
    return hostname.replace('/', '_').replace(':', '_');
  }

  private static void createPrivateDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }
}
