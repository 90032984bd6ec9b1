package dev.relaypoint.store.internal;

import dev.relaypoint.store.DeliveryStatus;
import dev.relaypoint.store.RecipientState;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link DeliveryStatus} as one self-validating STATUS record (version byte first). */
public final class StatusCodec {

  private static final int VERSION = 1;

  private StatusCodec() {}

  public static ByteBuffer encode(DeliveryStatus s) {
    PayloadWriter w = new PayloadWriter();
    w.putByte(VERSION).putInt(s.attempts());
    putInstant(w, s.nextAttempt());
    putInstant(w, s.lastAttempt());
    w.putInt(s.recipients().size());
    for (RecipientState r : s.recipients()) {
      w.putString(r.address()).putByte(r.status().ordinal());
      w.putOptional(r.transactionId()).putOptional(r.lastReply());
      putInstant(w, r.updatedAt());
    }
    return Records.encode(RecordType.STATUS, w.toByteArray());
  }

  public static DeliveryStatus decode(ByteBuffer bytes) throws CorruptRecordException {
    Record record = RecordReader.read(bytes, RecordType.STATUS);
    PayloadReader r = new PayloadReader(record.payload(), "status");
    if (r.getByte() != VERSION) {
      throw r.corrupt("unknown status version");
    }
    int attempts = r.getInt();
    Optional<Instant> next = getInstant(r);
    Optional<Instant> last = getInstant(r);
    int count = r.getCount(4);
    List<RecipientState> recipients = new ArrayList<>(count);
    RecipientState.Status[] statuses = RecipientState.Status.values();
    for (int i = 0; i < count; i++) {
      String address = r.getString();
      int status = r.getByte();
      if (status >= statuses.length) {
        throw r.corrupt("unknown recipient status " + status);
      }
      recipients.add(new RecipientState(address, statuses[status], r.getOptional(), r.getOptional(),
          getInstant(r)));
    }
    r.expectEnd();
    if (attempts < 0) {
      throw r.corrupt("negative attempt count");
    }
    return new DeliveryStatus(recipients, attempts, next, last);
  }

  private static void putInstant(PayloadWriter w, Optional<Instant> t) {
    w.putByte(t.isPresent() ? 1 : 0);
    t.ifPresent(i -> w.putLong(i.toEpochMilli()));
  }

  private static Optional<Instant> getInstant(PayloadReader r) throws CorruptRecordException {
    return switch (r.getByte()) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(Instant.ofEpochMilli(r.getLong()));
      default -> throw r.corrupt("bad presence byte");
    };
  }
}
