package dev.relaypoint.store.internal;

import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.CheckpointUsage;
import dev.relaypoint.store.DiskProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory accounting behind {@link CheckpointUsage}, keyed by checkpoint directory name. The
 * store tells it about every change ({@link FileLease}, {@link MeteredWriter}, {@link Reaper}); it is
 * rebuilt by {@link Recovery} as it settles the journals. One lock: each call is a few map
 * operations, a data write costs one {@link #grow}, far below the cost of the write itself.
 */
final class UsageLedger implements CheckpointUsage {

  private static final class Entry {
    final CheckpointOwner owner;
    long bytes;
    long lastActivity;

    Entry(CheckpointOwner owner, long bytes, long lastActivity) {
      this.owner = owner;
      this.bytes = bytes;
      this.lastActivity = lastActivity;
    }
  }

  private static final class Tally {
    int open;
    long bytes;
  }

  private final Path dir;
  private final DiskProbe probe;
  private final Map<String, Entry> entries = new HashMap<>();
  private final Map<String, Tally> owners = new HashMap<>();
  private long total;

  UsageLedger(Path dir, DiskProbe probe) {
    this.dir = dir;
    this.probe = probe;
  }

  /** Counts {@code id} as open with {@code bytes} on disk, replacing what was known of it. */
  synchronized void track(String id, CheckpointOwner owner, long bytes, long atMillis) {
    forget(id);
    entries.put(id, new Entry(owner, bytes, atMillis));
    Tally t = owners.computeIfAbsent(owner.key(), k -> new Tally());
    t.open++;
    t.bytes += bytes;
    total += bytes;
  }

  /** {@code n} more bytes were written to {@code id}; ignored if it is not tracked. */
  synchronized void grow(String id, long n, long atMillis) {
    Entry e = entries.get(id);
    if (e != null) {
      e.bytes += n;
      e.lastActivity = atMillis;
      owners.get(e.owner.key()).bytes += n;
      total += n;
    }
  }

  /** {@code id} now holds {@code bytes} on disk (a suspend cut its unfinished line); keeps its time. */
  synchronized void resize(String id, long bytes) {
    Entry e = entries.get(id);
    if (e != null) {
      long delta = bytes - e.bytes;
      e.bytes = bytes;
      owners.get(e.owner.key()).bytes += delta;
      total += delta;
    }
  }

  /** {@code id} is no longer open: completed, discarded, deleted, reaped or quarantined. */
  synchronized void forget(String id) {
    Entry e = entries.remove(id);
    if (e == null) {
      return;
    }
    Tally t = owners.get(e.owner.key());
    t.open--;
    t.bytes -= e.bytes;
    if (t.open == 0) {
      owners.remove(e.owner.key());
    }
    total -= e.bytes;
  }

  @Override
  public synchronized OwnerUsage owner(String ownerKey) {
    Tally t = owners.get(ownerKey);
    return t == null ? new OwnerUsage(0, 0) : new OwnerUsage(t.open, t.bytes);
  }

  @Override
  public synchronized long totalBytes() {
    return total;
  }

  @Override
  public synchronized List<OpenCheckpoint> list() {
    List<OpenCheckpoint> out = new ArrayList<>(entries.size());
    entries.forEach((id, e) ->
        out.add(new OpenCheckpoint(id, e.owner, e.bytes, Instant.ofEpochMilli(e.lastActivity))));
    return out;
  }

  @Override
  public DiskSpace diskSpace() throws IOException {
    return probe.probe(dir);
  }
}
