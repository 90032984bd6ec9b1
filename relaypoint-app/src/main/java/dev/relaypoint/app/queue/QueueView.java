package dev.relaypoint.app.queue;

import dev.relaypoint.store.DeliveryStatus;
import dev.relaypoint.store.Envelope;
import dev.relaypoint.store.QueueReader;
import dev.relaypoint.store.QueueState;
import dev.relaypoint.store.QueuedMessage;
import dev.relaypoint.store.RecipientState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Renders {@code queue list} and {@code queue show} from a read-only {@link QueueReader}. */
final class QueueView {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  private final QueueReader reader;

  QueueView(QueueReader reader) {
    this.reader = reader;
  }

  String list() throws IOException {
    Table t = new Table("QUEUE ID", "STATE", "SIZE", "ARRIVED", "NEXT ATTEMPT", "SENDER", "RECIPIENTS");
    int[] counts = new int[QueueState.values().length];
    for (QueueState state : QueueState.values()) {
      for (String id : reader.list(state)) {
        Optional<Row> row = row(id, state);
        if (row.isPresent()) {
          Row r = row.get();
          t.row(id, state.directoryName(), size(r.size()), TIME.format(r.envelope().receivedAt()),
              r.status().flatMap(DeliveryStatus::nextAttempt).map(TIME::format).orElse("-"),
              r.envelope().reversePath().isEmpty() ? "<>" : r.envelope().reversePath(), recipients(r));
          counts[state.ordinal()]++;
        }
      }
    }
    if (t.isEmpty()) {
      return "The queue is empty.\n";
    }
    List<String> parts = new ArrayList<>();
    int total = 0;
    for (QueueState s : QueueState.values()) {
      total += counts[s.ordinal()];
      parts.add(counts[s.ordinal()] + " " + s.directoryName());
    }
    return t.render() + "\n" + total + (total == 1 ? " entry: " : " entries: ") + String.join(", ", parts) + "\n";
  }

  /** The detail of one entry, or empty when it is not queued. */
  Optional<String> show(String id) throws IOException {
    Optional<QueueState> state = reader.locate(id);
    if (state.isEmpty()) {
      return Optional.empty();
    }
    Optional<Row> row = row(id, state.get());
    if (row.isEmpty()) {
      return Optional.empty();
    }
    Row r = row.get();
    Envelope e = r.envelope();
    StringBuilder out = new StringBuilder();
    Table head = new Table("", "");
    head.row("Queue ID:", id).row("State:", state.get().directoryName()).row("Size:", r.size() + " octets")
        .row("Arrived:", TIME.format(e.receivedAt()) + " from " + e.heloName() + " [" + e.clientAddress() + "]")
        .row("Sender:", e.reversePath().isEmpty() ? "<> (null reverse-path: never bounced)" : e.reversePath())
        .row("Attempts:", String.valueOf(r.status().map(DeliveryStatus::attempts).orElse(0)))
        .row("Last attempt:", r.status().flatMap(DeliveryStatus::lastAttempt).map(TIME::format).orElse("-"))
        .row("Next attempt:", r.status().flatMap(DeliveryStatus::nextAttempt).map(TIME::format).orElse("-"));
    for (String h : r.headers()) {
      head.row(h.substring(0, h.indexOf(':') + 1), h.substring(h.indexOf(':') + 1).trim());
    }
    out.append(head.render().lines().skip(1).map(l -> l + "\n").reduce("", String::concat)).append('\n');
    Table rcpts = new Table("RECIPIENT", "STATUS", "TRANSID", "LAST REPLY");
    List<RecipientState> states = r.status().map(DeliveryStatus::recipients)
        .orElse(DeliveryStatus.initial(e).recipients());
    for (RecipientState s : states) {
      rcpts.row(s.address(), s.status().name().toLowerCase(Locale.ROOT), s.transactionId().orElse("-"),
          s.lastReply().orElse("-"));
    }
    return Optional.of(out.append(rcpts.render()).toString());
  }

  private record Row(Envelope envelope, long size, Optional<DeliveryStatus> status, List<String> headers) {}

  private Optional<Row> row(String id, QueueState state) throws IOException {
    try (QueuedMessage m = reader.open(id)) {
      return Optional.of(new Row(m.envelope(), m.size(), reader.status(id), headers(m)));
    } catch (java.nio.file.NoSuchFileException ex) {
      return Optional.empty(); // delivered or moved while we looked
    }
  }

  private static String recipients(Row r) {
    List<RecipientState> rs = r.status().map(DeliveryStatus::recipients)
        .orElse(DeliveryStatus.initial(r.envelope()).recipients());
    String first = rs.get(0).address() + (rs.size() > 1 ? " +" + (rs.size() - 1) : "");
    long pending = rs.stream().filter(x -> !x.status().isFinal()).count();
    return first + " (" + pending + " pending)";
  }

  /** Subject, From and Message-ID from the first 8 KiB, unfolded, for {@code show}. */
  private static List<String> headers(QueuedMessage m) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(8192, m.size()));
    m.channel().read(buf, m.dataStart());
    String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String[] lines = (end >= 0 ? text.substring(0, end) : text).replaceAll("\r\n[ \t]+", " ").split("\r\n");
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      String lower = l.toLowerCase(Locale.ROOT);
      if (lower.startsWith("subject:") || lower.startsWith("from:") || lower.startsWith("message-id:")) {
        String safe = l.replaceAll("[\\p{Cntrl}]", "?"); // never echo terminal control sequences
        out.add(safe.length() > 200 ? safe.substring(0, 200) + "..." : safe);
      }
    }
    return out;
  }

  static String size(long octets) {
    if (octets < 1024) {
      return octets + "B";
    }
    String[] units = {"K", "M", "G", "T"};
    double v = octets;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.valueOf(Math.round(v))) + units[u];
  }

  static String time(Instant t) {
    return TIME.format(t);
  }
}
