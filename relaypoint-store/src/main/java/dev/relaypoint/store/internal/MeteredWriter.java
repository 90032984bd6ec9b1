package dev.relaypoint.store.internal;

import dev.relaypoint.store.MessageWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * Keeps {@link UsageLedger} in step with one checkpointed writer, from outside it, so the writer's
 * commit path stays the store's business alone. A failed commit leaves the checkpoint counted: what
 * is on disk is then unknown until the next look ({@code state()}, reaper or restart) settles it.
 */
final class MeteredWriter implements MessageWriter {

  private final MessageWriter delegate;
  private final UsageLedger ledger;
  private final String id;
  private final Clock clock;
  private final Path messageFile;

  MeteredWriter(MessageWriter delegate, UsageLedger ledger, String id, Clock clock,
      Path messageFile) {
    this.delegate = delegate;
    this.ledger = ledger;
    this.id = id;
    this.clock = clock;
    this.messageFile = messageFile;
  }

  @Override
  public String queueId() {
    return delegate.queueId();
  }

  @Override
  public long size() {
    return delegate.size();
  }

  @Override
  public void write(ByteBuffer data, long lineAlignedSize) throws IOException {
    int n = data.remaining();
    delegate.write(data, lineAlignedSize);
    ledger.grow(id, n, clock.millis());
  }

  /** The ledger forgets the checkpoint before the caller hears of success, so a 250 frees quota. */
  @Override
  public CompletionStage<Void> commit() {
    return delegate.commit().thenRun(() -> ledger.forget(id));
  }

  @Override
  public CompletionStage<Void> suspend() {
    // A suspend cuts the unfinished last line off the file: count what stays on disk.
    return delegate.suspend().thenRun(() -> {
      try {
        ledger.resize(id, Files.size(messageFile));
      } catch (IOException e) {
        // Left as counted (an overestimate); the next look at the key or a restart settles it.
      }
    });
  }

  @Override
  public void discard() {
    delegate.discard();
    ledger.forget(id);
  }
}
