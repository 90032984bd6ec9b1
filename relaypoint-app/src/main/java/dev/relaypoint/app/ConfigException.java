package dev.relaypoint.app;

/** A setting is wrong; the message names it and says what is expected. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
