package dev.relaypoint.store.internal;

/**
 * The input ended inside a record. Kept apart from other corruption because an un-forced append cut
 * short by a crash looks exactly like this, and a journal may drop such a torn tail safely.
 */
public final class TruncatedRecordException extends CorruptRecordException {

  private static final long serialVersionUID = 1L;

  public TruncatedRecordException(String message) {
    super(message);
  }
}
