package dev.relaypoint.store.internal;

import dev.relaypoint.store.Envelope;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Envelope fields in a fixed order; maps and lists carry an explicit count. */
final class EnvelopeCodec {

  private EnvelopeCodec() {}

  static void write(PayloadWriter w, Envelope e) {
    w.putString(e.reversePath());
    w.putInt(e.mailParameters().size());
    e.mailParameters().forEach((k, v) -> w.putString(k).putString(v));
    w.putInt(e.recipients().size());
    e.recipients().forEach(w::putString);
    w.putString(e.heloName()).putString(e.clientAddress()).putString(e.protocol());
    w.putLong(e.receivedAt().getEpochSecond()).putInt(e.receivedAt().getNano());
    w.putOptional(e.transactionId());
  }

  static Envelope read(PayloadReader r) throws CorruptRecordException {
    String reversePath = r.getString();
    int params = r.getCount(8);
    Map<String, String> mailParameters = new LinkedHashMap<>();
    for (int i = 0; i < params; i++) {
      String key = r.getString();
      if (mailParameters.put(key, r.getString()) != null) {
        throw r.corrupt("duplicate MAIL parameter " + key);
      }
    }
    int rcpts = r.getCount(4);
    List<String> recipients = new ArrayList<>(rcpts);
    for (int i = 0; i < rcpts; i++) {
      recipients.add(r.getString());
    }
    String helo = r.getString();
    String client = r.getString();
    String protocol = r.getString();
    long seconds = r.getLong();
    int nanos = r.getInt();
    Instant receivedAt;
    try {
      if (nanos < 0 || nanos > 999_999_999) {
        throw new DateTimeException("nanos " + nanos);
      }
      receivedAt = Instant.ofEpochSecond(seconds, nanos);
    } catch (DateTimeException e) {
      throw r.corrupt("bad receivedAt: " + e.getMessage());
    }
    return new Envelope(reversePath, mailParameters, recipients, helo, client, protocol, receivedAt,
        r.getOptional());
  }
}
