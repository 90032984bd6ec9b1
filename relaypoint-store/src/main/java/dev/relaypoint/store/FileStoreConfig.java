package dev.relaypoint.store;

import dev.relaypoint.store.internal.FileOps;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * How to open a {@link FileStore}. Immutable; build with {@link #builder(Path)}.
 *
 * @param dataDir          the store's root; created (mode 0700) if missing
 * @param checkpointPolicy when checkpointed data is forced and its offset recorded
 * @param clock            the time source for checkpoints, journal records and retention
 * @param fileOps          the file-system seam; {@link FileOps#real()} except in tests
 * @param diskProbe        free space of the data directory's file system; {@link DiskProbe#real()}
 *                         except in tests
 */
public record FileStoreConfig(Path dataDir, CheckpointPolicy checkpointPolicy, Clock clock,
    FileOps fileOps, DiskProbe diskProbe) {

  public FileStoreConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(checkpointPolicy, "checkpointPolicy");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(fileOps, "fileOps");
    Objects.requireNonNull(diskProbe, "diskProbe");
  }

  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  public Builder toBuilder() {
    return new Builder(dataDir).checkpointPolicy(checkpointPolicy).clock(clock).fileOps(fileOps)
        .diskProbe(diskProbe);
  }

  public static final class Builder {
    private Path dataDir;
    private CheckpointPolicy checkpointPolicy = CheckpointPolicy.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private FileOps fileOps = FileOps.real();
    private DiskProbe diskProbe = DiskProbe.real();

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder checkpointPolicy(CheckpointPolicy checkpointPolicy) {
      this.checkpointPolicy = checkpointPolicy;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder fileOps(FileOps fileOps) {
      this.fileOps = fileOps;
      return this;
    }

    public Builder diskProbe(DiskProbe diskProbe) {
      this.diskProbe = diskProbe;
      return this;
    }

    public FileStoreConfig build() {
      return new FileStoreConfig(dataDir, checkpointPolicy, clock, fileOps, diskProbe);
    }
  }
}
