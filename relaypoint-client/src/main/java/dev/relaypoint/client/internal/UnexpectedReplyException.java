package dev.relaypoint.client.internal;

import dev.relaypoint.smtp.Reply;
import java.io.IOException;

/** The server answered a step with a reply that stops the attempt (a 4xx or 5xx, or a wrong 3xx). */
public final class UnexpectedReplyException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Reply reply;
  private final String step;

  public UnexpectedReplyException(String step, Reply reply) {
    super(step + " answered " + reply);
    this.step = step;
    this.reply = reply;
  }

  public Reply reply() {
    return reply;
  }

  public String step() {
    return step;
  }

  /** True when retrying later may help: a 4xx, or a reply that makes no sense at that step. */
  public boolean isTransient() {
    return !reply.isPermanent();
  }
}
