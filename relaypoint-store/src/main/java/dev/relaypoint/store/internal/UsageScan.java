package dev.relaypoint.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rebuilds {@link UsageLedger} from the checkpoint journals once recovery has settled them. */
final class UsageScan {

  private static final Logger log = LoggerFactory.getLogger(UsageScan.class);

  private UsageScan() {}

  static void run(StoreLayout layout, UsageLedger ledger) throws IOException {
    for (Path dir : CheckpointInspector.dirs(layout)) {
      Path journal = StoreLayout.journal(dir);
      if (!Files.exists(journal)) {
        continue; // recovery deleted such dirs; one here was created since, and is counted by its writer
      }
      Journal.State js;
      try {
        var read = Journal.read(journal);
        if (read.isEmpty()) {
          continue; // a journal without a whole OPEN promised nothing; recovery removes it
        }
        js = read.get();
      } catch (CorruptRecordException e) {
        // Recovery quarantines these; nothing here may be resumed, so nothing is open.
        log.warn("not counting unreadable checkpoint {}: {}", dir.getFileName(), e.getMessage());
        continue;
      }
      if (js.completed().isPresent()) {
        continue;
      }
      Path message = StoreLayout.message(dir);
      long bytes = Files.exists(message) ? Files.size(message) : 0;
      ledger.track(dir.getFileName().toString(), js.open().owner(), bytes, js.lastActivityMillis());
    }
  }
}
