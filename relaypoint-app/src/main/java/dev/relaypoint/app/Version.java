package dev.relaypoint.app;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (set by the build). */
final class Version implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"relaypoint " + (v == null ? "development build" : v)};
  }
}
