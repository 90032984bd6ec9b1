package dev.relaypoint.store.internal;

/** Stored bytes failed validation: they must be quarantined, never resumed or delivered. */
public class CorruptRecordException extends Exception {

  private static final long serialVersionUID = 1L;

  public CorruptRecordException(String message) {
    super(message);
  }
}
