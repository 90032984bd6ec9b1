package dev.relaypoint.jakarta;

import dev.relaypoint.client.Destination;
import dev.relaypoint.client.Envelope;
import dev.relaypoint.client.GaveUpException;
import dev.relaypoint.client.MessageSource;
import dev.relaypoint.client.RecipientStatus;
import dev.relaypoint.client.RejectedException;
import dev.relaypoint.client.RetryPolicy;
import dev.relaypoint.client.SendException;
import dev.relaypoint.client.SendResult;
import dev.relaypoint.client.SmtpClient;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import jakarta.mail.event.TransportEvent;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Jakarta Mail {@link Transport} that sends through the Relaypoint client, so existing Jakarta Mail
 * (or Spring {@code JavaMailSender}) code gets RFC 1845 checkpoint/restart by configuration alone:
 *
 * <pre>
 * mail.transport.protocol=relaypoint
 * mail.relaypoint.host=mx.example.org       (or mail.relaypoint.mx=example.org)
 * mail.relaypoint.port=25
 * mail.relaypoint.ehlo=app.example.net
 * mail.relaypoint.statedir=/var/lib/app/relaypoint   (optional: resume after a crash)
 * mail.relaypoint.maxattempts=6
 * mail.relaypoint.retrydelay=2000            (milliseconds before the first retry, doubling)
 * mail.relaypoint.from=bounces@example.net   (optional envelope sender; else the message's From)
 * </pre>
 *
 * <p>The message is written once to a temporary file (never held in memory) and streamed from there on
 * every attempt. Connecting only checks the configuration: each send opens its own SMTP session(s),
 * because a resumable send may need several.
 */
public final class RelaypointTransport extends Transport {

  private SmtpClient client;

  public RelaypointTransport(Session session, URLName urlname) {
    super(session, urlname);
  }

  @Override
  protected boolean protocolConnect(String host, int port, String user, String password) throws MessagingException {
    String configuredHost = property("host");
    String mx = property("mx");
    int configuredPort = port > 0 ? port : Integer.parseInt(orDefault(property("port"), "25"));
    Destination destination;
    if (host != null && !host.isEmpty()) {
      destination = Destination.server(host, configuredPort);
    } else if (configuredHost != null) {
      destination = Destination.server(configuredHost, configuredPort);
    } else if (mx != null) {
      destination = new Destination.Mx(mx, configuredPort);
    } else {
      throw new MessagingException("set mail.relaypoint.host or mail.relaypoint.mx");
    }
    try {
      SmtpClient.Builder b = SmtpClient.newBuilder().destination(destination);
      if (property("ehlo") != null) {
        b.ehloName(property("ehlo"));
      }
      if (property("statedir") != null) {
        b.stateDirectory(Path.of(property("statedir")));
      }
      int attempts = Integer.parseInt(orDefault(property("maxattempts"), "6"));
      Duration delay = Duration.ofMillis(Long.parseLong(orDefault(property("retrydelay"), "2000")));
      b.retryPolicy(new RetryPolicy(attempts, delay, delay.compareTo(Duration.ofMinutes(30)) > 0 ? delay
          : Duration.ofMinutes(30), 2.0));
      client = b.build();
    } catch (IllegalArgumentException e) {
      throw new MessagingException("bad mail.relaypoint configuration: " + e.getMessage(), e);
    }
    return true;
  }

  @Override
  public void sendMessage(Message message, Address[] addresses) throws MessagingException {
    if (client == null) {
      throw new IllegalStateException("not connected");
    }
    List<String> recipients = new ArrayList<>();
    for (Address a : addresses) {
      if (!(a instanceof InternetAddress ia)) {
        throw new SendFailedException("not an Internet address: " + a);
      }
      recipients.add(ia.getAddress());
    }
    Envelope envelope;
    try {
      envelope = new Envelope(sender(message), recipients);
    } catch (IllegalArgumentException e) {
      throw new SendFailedException(e.getMessage());
    }
    Path spool = null;
    try {
      spool = Files.createTempFile("relaypoint-", ".eml");
      try (OutputStream out = Files.newOutputStream(spool)) {
        message.writeTo(out);
      }
      SendResult result = client.send(envelope, MessageSource.of(spool));
      notify(message, addresses, result.recipients());
      if (!result.allAccepted()) {
        throw failed("some recipients were refused", result.recipients(), addresses, null);
      }
    } catch (RejectedException | GaveUpException e) {
      notifyTransportListeners(TransportEvent.MESSAGE_NOT_DELIVERED, new Address[0], addresses, new Address[0],
          message);
      throw failed(e.getMessage(), ((SendException) e).recipients(), addresses, e);
    } catch (SendException e) {
      throw new MessagingException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MessagingException("cannot spool the message: " + e.getMessage(), e);
    } finally {
      if (spool != null) {
        try {
          Files.deleteIfExists(spool);
        } catch (IOException ignored) {
          // a leftover temporary file is harmless
        }
      }
    }
  }

  private String sender(Message message) throws MessagingException {
    if (property("from") != null) {
      return property("from");
    }
    Address[] from = message.getFrom();
    if (from != null && from.length > 0 && from[0] instanceof InternetAddress ia) {
      return ia.getAddress();
    }
    return "";
  }

  private void notify(Message message, Address[] all, List<RecipientStatus> statuses) {
    List<Address> ok = new ArrayList<>();
    List<Address> bad = new ArrayList<>();
    for (Address a : all) {
      String addr = ((InternetAddress) a).getAddress();
      boolean accepted = statuses.stream().anyMatch(s -> s.address().equals(addr) && s.accepted());
      (accepted ? ok : bad).add(a);
    }
    notifyTransportListeners(bad.isEmpty() ? TransportEvent.MESSAGE_DELIVERED
        : TransportEvent.MESSAGE_PARTIALLY_DELIVERED, ok.toArray(new Address[0]), new Address[0],
        bad.toArray(new Address[0]), message);
  }

  private static SendFailedException failed(String text, List<RecipientStatus> statuses, Address[] all, Exception cause) {
    List<Address> ok = new ArrayList<>();
    List<Address> bad = new ArrayList<>();
    for (Address a : all) {
      String addr = ((InternetAddress) a).getAddress();
      boolean accepted = statuses.stream().anyMatch(s -> s.address().equals(addr) && s.accepted());
      (accepted ? ok : bad).add(a);
    }
    return new SendFailedException(text, cause, ok.toArray(new Address[0]), new Address[0], bad.toArray(new Address[0]));
  }

  private String property(String name) {
    return session.getProperty("mail.relaypoint." + name);
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
