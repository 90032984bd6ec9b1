package dev.relaypoint.client;

import java.util.List;

/**
 * Every attempt allowed by the {@link RetryPolicy} broke (connection lost, timeout, 4xx). With a state
 * directory, the send state is kept, so sending the same message again resumes the same transaction.
 */
public final class GaveUpException extends SendException {

  private static final long serialVersionUID = 1L;

  public GaveUpException(String message, List<RecipientStatus> recipients, int attempts, Throwable lastCause) {
    super(message, recipients, attempts, lastCause);
  }

  @Override
  public boolean isTransient() {
    return true;
  }
}
