package dev.relaypoint.store.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the one thread that decides every fsync. It drains all pending requests, forces the
 * batch's distinct files and distinct directories all concurrently (each once for the whole batch),
 * and only then completes the batch's futures (on this thread). Many sessions committing into
 * queue/incoming thus share one directory fsync, and their fsyncs overlap (ext4 joins concurrent
 * fsyncs into one journal commit; one thread forcing them in turn paid a commit each).
 *
 * <p>Files and directories are forced together, not files first: a request's promise holds only
 * once the whole request is done, so the order inside it cannot matter, and a crash in the middle
 * leaves some subset durable either way, which recovery already has to handle (a part file or
 * journal whose name is durable and whose bytes are not is torn, and treated as never written).
 * Forcing them in two steps made one session's commit wait for two fsyncs in a row. A directory is
 * forced even when a file of the same request fails: harmless, and the request fails anyway.
 *
 * <p>Callbacks chained on the futures run here too, so they must never block on another force.
 */
public final class Committer implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(Committer.class);

  private record Request(List<FileChannel> files, List<Path> dirs, CompletableFuture<Void> done) {}

  private static final Request STOP = new Request(List.of(), List.of(), new CompletableFuture<>());

  private final FileOps ops;
  private final BlockingQueue<Request> pending = new LinkedBlockingQueue<>();
  private final ParallelForces parallel = new ParallelForces(8);
  private final Thread thread;
  private volatile boolean closed;

  public Committer(FileOps ops) {
    this.ops = ops;
    this.thread = new Thread(this::run, "relaypoint-committer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Forces {@code files}, then {@code dirs}; the future completes on the committer thread. */
  public CompletableFuture<Void> force(List<FileChannel> files, List<Path> dirs) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IOException("store is closed"));
      return done;
    }
    pending.add(new Request(List.copyOf(files), List.copyOf(dirs), done));
    return done;
  }

  public CompletableFuture<Void> forceFile(FileChannel file) {
    return force(List.of(file), List.of());
  }

  public CompletableFuture<Void> forceDirs(Path... dirs) {
    return force(List.of(), List.of(dirs));
  }

  public boolean isCommitterThread() {
    return Thread.currentThread() == thread;
  }

  private void run() {
    List<Request> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(pending.take());
      } catch (InterruptedException e) {
        break;
      }
      pending.drainTo(batch);
      stopping = batch.remove(STOP);
      process(batch);
      batch.clear();
      if (stopping) {
        // Requests queued by callbacks of the last batch still get served before we stop.
        pending.drainTo(batch);
        batch.remove(STOP);
        process(batch);
      }
    }
    failRemaining();
    parallel.shutdown();
  }

  private void process(List<Request> batch) {
    // FileChannel keys compare by identity, directory paths by value: each is forced once.
    Map<Object, IOException> outcomes = new LinkedHashMap<>();
    for (Request r : batch) {
      r.files().forEach(ch -> outcomes.put(ch, null));
      r.dirs().forEach(dir -> outcomes.put(dir, null));
    }
    parallel.run(outcomes, this::force);
    for (Request r : batch) {
      IOException e = firstError(r, outcomes);
      if (e == null) {
        r.done().complete(null);
      } else {
        r.done().completeExceptionally(e);
      }
    }
  }

  private void force(Object target) throws IOException {
    if (target instanceof FileChannel ch) {
      ops.force(ch);
    } else {
      ops.forceDirectory((Path) target);
    }
  }

  private static IOException firstError(Request r, Map<Object, IOException> outcomes) {
    for (FileChannel ch : r.files()) {
      if (outcomes.get(ch) != null) {
        return outcomes.get(ch);
      }
    }
    for (Path d : r.dirs()) {
      if (outcomes.get(d) != null) {
        return outcomes.get(d);
      }
    }
    return null;
  }

  private void failRemaining() {
    Request r;
    while ((r = pending.poll()) != null) {
      r.done().completeExceptionally(new IOException("store is closed"));
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    pending.add(STOP);
    if (!isCommitterThread()) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        log.warn("committer thread did not stop within 10 s");
      }
    }
  }
}
