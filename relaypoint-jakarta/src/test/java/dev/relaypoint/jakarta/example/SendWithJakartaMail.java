package dev.relaypoint.jakarta.example;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/**
 * The runnable example from the module README: plain Jakarta Mail code; only the properties choose
 * Relaypoint. Run: {@code java -cp ... dev.relaypoint.jakarta.example.SendWithJakartaMail HOST PORT FROM TO}.
 */
public final class SendWithJakartaMail {

  private SendWithJakartaMail() {}

  public static void main(String[] args) throws Exception {
    send(args[0], Integer.parseInt(args[1]), args[2], args[3], "Hello over a resumable link");
  }

  public static void send(String host, int port, String from, String to, String text) throws Exception {
    Properties props = new Properties();
    props.put("mail.transport.protocol", "relaypoint"); // the only Relaypoint-specific line, plus the mail.relaypoint.* ones
    props.put("mail.relaypoint.host", host);
    props.put("mail.relaypoint.port", Integer.toString(port));
    props.put("mail.relaypoint.ehlo", "app.client.test");
    props.put("mail.relaypoint.retrydelay", "300");
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(from));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    message.setSubject("Relaypoint example");
    message.setText(text);
    message.saveChanges();
    // session.getTransport() honours mail.transport.protocol (as Spring's JavaMailSenderImpl does). The static
    // Transport.send(...) picks by address type instead: call session.setProtocolForAddress("rfc822", "relaypoint")
    // first if you use it.
    try (Transport transport = session.getTransport()) {
      transport.connect();
      transport.sendMessage(message, message.getAllRecipients());
    }
  }
}
