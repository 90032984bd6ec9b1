package dev.relaypoint.app.send;

import dev.relaypoint.client.SendListener;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress display for a terminal: octets, rate, ETA, and "resumed at octet N" after a
 * restart. Redrawn at most ten times a second with a carriage return, so it costs nothing on big
 * messages; the rate counts only octets sent in this attempt, so a resume does not inflate it.
 */
final class ProgressBar implements SendListener {

  private static final int WIDTH = 24;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final LongSupplier clock;
  private long attemptStart;
  private long attemptStartOctets;
  private long lastDraw;
  private long resumedAt = -1;
  private boolean drawn;

  ProgressBar(PrintStream out, LongSupplier nanoClock) {
    this.out = out;
    this.clock = nanoClock;
  }

  @Override
  public void connecting(int attempt, InetSocketAddress address) {
    attemptStart = clock.getAsLong();
    attemptStartOctets = 0;
    resumedAt = -1;
  }

  @Override
  public void restarting(long offset, long size) {
    resumedAt = offset;
    attemptStartOctets = offset;
  }

  @Override
  public void progress(long sent, long size) {
    long now = clock.getAsLong();
    if (sent < size && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    out.print("\r" + line(sent, size, now - attemptStart) + "\u001b[K");
    out.flush();
    drawn = true;
  }

  @Override
  public void attemptFailed(int attempt, String reason, Duration wait) {
    endLine();
    out.println("attempt " + attempt + " failed: " + reason
        + (wait.isZero() ? "" : "; retrying in " + human(wait)));
  }

  /** Finishes the progress line so later output starts on a fresh line. */
  void endLine() {
    if (drawn) {
      out.println();
      drawn = false;
    }
  }

  String line(long sent, long size, long elapsedNanos) {
    double fraction = size == 0 ? 1 : (double) sent / size;
    int filled = (int) Math.round(fraction * WIDTH);
    double seconds = elapsedNanos / 1e9;
    double rate = seconds > 0 ? (sent - attemptStartOctets) / seconds : 0;
    String eta = rate > 0 ? human(Duration.ofSeconds((long) ((size - sent) / rate))) : "--";
    StringBuilder b = new StringBuilder();
    b.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
    b.append(String.format(Locale.ROOT, "%3d%% %s/%s %s/s ETA %s", (int) (fraction * 100), octets(sent),
        octets(size), octets((long) rate), eta));
    if (resumedAt >= 0) {
      b.append(" (resumed at octet ").append(resumedAt).append(')');
    }
    return b.toString();
  }

  static String octets(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
