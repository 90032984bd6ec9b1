package dev.relaypoint.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.store.CheckpointOwner;
import dev.relaypoint.store.CheckpointUsage.OpenCheckpoint;
import dev.relaypoint.store.CheckpointUsage.OwnerUsage;
import dev.relaypoint.store.DiskProbe;
import dev.relaypoint.store.CheckpointUsage.DiskSpace;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {

  private static final CheckpointOwner A = new CheckpointOwner("192.0.2.7/32", false);
  private static final CheckpointOwner B = new CheckpointOwner("auth:bob", true);

  private final UsageLedger ledger = new UsageLedger(Path.of("unused"), dir -> new DiskSpace(5, 10));

  @Test
  void talliesPerOwnerAndInTotal() {
    ledger.track("c1", A, 100, 1);
    ledger.track("c2", A, 50, 2);
    ledger.track("c3", B, 7, 3);
    ledger.grow("c1", 25, 9);

    assertThat(ledger.owner(A.key())).isEqualTo(new OwnerUsage(2, 175));
    assertThat(ledger.owner(B.key())).isEqualTo(new OwnerUsage(1, 7));
    assertThat(ledger.owner("nobody")).isEqualTo(new OwnerUsage(0, 0));
    assertThat(ledger.totalBytes()).isEqualTo(182);
    assertThat(ledger.list()).contains(new OpenCheckpoint("c1", A, 125, Instant.ofEpochMilli(9)));
  }

  @Test
  void forgettingFreesTheOwnerAndTheTotal() {
    ledger.track("c1", A, 100, 1);
    ledger.track("c2", A, 50, 1);
    ledger.forget("c1");
    assertThat(ledger.owner(A.key())).isEqualTo(new OwnerUsage(1, 50));
    ledger.forget("c2");
    ledger.forget("c2"); // twice, or never tracked: nothing changes
    ledger.forget("unknown");
    assertThat(ledger.owner(A.key())).isEqualTo(new OwnerUsage(0, 0));
    assertThat(ledger.totalBytes()).isZero();
    assertThat(ledger.list()).isEmpty();
  }

  /** A resume re-tracks the checkpoint with its truncated size, and may not count it twice. */
  @Test
  void trackingAgainReplaces() {
    ledger.track("c1", A, 100, 1);
    ledger.track("c1", A, 60, 2);
    assertThat(ledger.owner(A.key())).isEqualTo(new OwnerUsage(1, 60));
    assertThat(ledger.totalBytes()).isEqualTo(60);
  }

  @Test
  void growthOfAnUntrackedCheckpointIsIgnored() {
    ledger.grow("gone", 10, 1);
    assertThat(ledger.totalBytes()).isZero();
  }

  @Test
  void diskSpaceComesFromTheProbe() throws Exception {
    DiskProbe probe = dir -> new DiskSpace(dir.toString().length(), 99);
    assertThat(new UsageLedger(Path.of("abc"), probe).diskSpace()).isEqualTo(new DiskSpace(3, 99));
  }
}
