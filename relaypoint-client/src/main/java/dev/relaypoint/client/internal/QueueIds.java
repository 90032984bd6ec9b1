package dev.relaypoint.client.internal;

import dev.relaypoint.smtp.Reply;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the server's queue id in the text of a final 250. There is no standard; these are the forms of
 * Postfix ("queued as 4F3K2"), Exim ("OK id=1abc-0002"), Relaypoint and Sendmail ("... Message accepted").
 */
final class QueueIds {

  private static final List<Pattern> PATTERNS = List.of(
      Pattern.compile("queued as ([^\\s;,]+)", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\bid[=:]\\s*([^\\s;,]+)", Pattern.CASE_INSENSITIVE),
      Pattern.compile("^<?([A-Za-z0-9._-]{6,})>?\\s+Message accepted", Pattern.CASE_INSENSITIVE));

  private QueueIds() {}

  static Optional<String> find(Reply reply) {
    String text = reply.text();
    for (Pattern p : PATTERNS) {
      Matcher m = p.matcher(text);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }
}
