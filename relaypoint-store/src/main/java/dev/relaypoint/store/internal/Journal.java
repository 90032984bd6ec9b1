package dev.relaypoint.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** Parses a checkpoint journal, streaming it record by record. */
final class Journal {

  private Journal() {}

  /**
   * The journal's meaning. {@code validLength} is where the valid records end; when
   * {@code tornTail} is set, bytes after it are an append cut short by a crash. Such an append was
   * never forced, so nothing was promised on it and dropping it is safe.
   */
  record State(JournalRecord.Open open, long progress, Optional<JournalRecord.Completed> completed,
      long lastActivityMillis, long validLength, boolean tornTail) {}

  /**
   * Empty when the journal has no whole first record (empty, or OPEN cut short): it is created with
   * OPEN in place, so that is a creation a crash interrupted, before anything was promised on it.
   */
  static Optional<State> read(Path journal) throws IOException, CorruptRecordException {
    try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = 0;
      JournalRecord.Open open = null;
      long progress = 0;
      JournalRecord.Completed completed = null;
      long last = 0;
      boolean torn = false;
      while (pos < size) {
        ChannelRecords.At at;
        try {
          at = ChannelRecords.readAt(ch, pos);
        } catch (TruncatedRecordException e) {
          if (open == null) {
            return Optional.empty();
          }
          torn = true;
          break;
        }
        JournalRecord r = JournalRecord.decode(at.record());
        if (open == null && !(r instanceof JournalRecord.Open)) {
          throw new CorruptRecordException("journal does not start with OPEN");
        }
        if (completed != null) {
          throw new CorruptRecordException("record after COMPLETED at " + pos);
        }
        if (r instanceof JournalRecord.Open o) {
          if (open != null) {
            throw new CorruptRecordException("second OPEN at " + pos);
          }
          open = o;
        } else if (r instanceof JournalRecord.Progress p) {
          if (p.offset() < progress) {
            throw new CorruptRecordException("PROGRESS goes backwards at " + pos);
          }
          progress = p.offset();
        } else if (r instanceof JournalRecord.Completed c) {
          if (!c.queueId().equals(open.queueId())) {
            throw new CorruptRecordException("COMPLETED names another queue id: " + c.queueId());
          }
          completed = c;
        }
        last = Math.max(last, r.at());
        pos = at.next();
      }
      if (open == null) {
        return Optional.empty();
      }
      return Optional.of(new State(open, progress, Optional.ofNullable(completed), last, pos, torn));
    }
  }
}
