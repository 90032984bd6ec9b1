package dev.relaypoint.app.queue;

import dev.relaypoint.app.DataDirLock;
import dev.relaypoint.mta.ControlFiles;
import dev.relaypoint.mta.QueueControl;
import dev.relaypoint.mta.QueueControl.Action;
import dev.relaypoint.mta.QueueControl.Answer;
import dev.relaypoint.store.FileStore;
import dev.relaypoint.store.FileStoreConfig;
import dev.relaypoint.store.QueueReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code relaypoint queue}: look at and manage the queue of a data directory, whether or not a server
 * runs on it. list and show only read. The others go to the running server's queue manager through
 * files in {@code queue/control/}; when no server holds the data directory lock they are applied
 * directly.
 */
@Command(name = "queue", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Show and manage the mail queue of a data directory (a running server's or a stopped one).",
    subcommands = {QueueCommand.ListCommand.class, QueueCommand.Show.class, QueueCommand.Flush.class,
        QueueCommand.Retry.class, QueueCommand.Hold.class, QueueCommand.Release.class, QueueCommand.Delete.class})
public final class QueueCommand implements Callable<Integer> {

  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "The server's data directory (default ./relaypoint-data).")
  Path dataDir = Path.of("relaypoint-data");

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().println("relaypoint queue: a subcommand is required");
    return QueueExitCodes.USAGE;
  }

  Path checkedDataDir() throws IOException {
    if (!Files.isDirectory(dataDir.resolve("queue"))) {
      throw new IOException("no Relaypoint queue in " + dataDir.toAbsolutePath().normalize()
          + " (use --data-dir)");
    }
    return dataDir;
  }

  int change(QueueControl.Request request, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    Path dir = checkedDataDir();
    Answer a;
    Optional<DataDirLock> lock = DataDirLock.tryAcquire(dir);
    if (lock.isPresent()) { // no server runs: apply it here, holding the lock so none starts meanwhile
      try (DataDirLock l = lock.get(); FileStore store = FileStore.open(FileStoreConfig.builder(dir).build())) {
        a = new QueueControl(store, Clock.systemUTC(), QueueControl.Live.NONE).apply(request);
      }
    } else {
      Optional<Answer> answer = new ControlFiles(QueueReader.controlDirectory(dir))
          .submit(request, ANSWER_TIMEOUT);
      if (answer.isEmpty()) {
        err.println("relaypoint: the running server did not answer within " + ANSWER_TIMEOUT.toSeconds() + "s");
        return QueueExitCodes.FAILURE;
      }
      a = answer.get();
    }
    switch (a.outcome()) {
      case OK -> {
        out.println(a.message());
        return QueueExitCodes.OK;
      }
      case UNKNOWN_ID -> {
        err.println("relaypoint: " + a.message());
        return QueueExitCodes.UNKNOWN_ID;
      }
      case CONFLICT -> {
        err.println("relaypoint: " + a.message());
        return QueueExitCodes.CONFLICT;
      }
      default -> {
        err.println("relaypoint: " + a.message());
        return QueueExitCodes.FAILURE;
      }
    }
  }

  /** The shared shape of the subcommands. */
  abstract static class Sub implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand
    QueueCommand parent;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    int change(Action action, Optional<String> id) throws IOException, InterruptedException {
      return parent.change(new QueueControl.Request(action, id), out(), err());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List every queued message, oldest first per state.")
  static final class ListCommand extends Sub {
    @Override
    public Integer call() throws IOException {
      out().print(new QueueView(new QueueReader(parent.checkedDataDir())).list());
      out().flush();
      return QueueExitCodes.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one message: envelope, headers, per-recipient status.")
  static final class Show extends Sub {
    @Parameters(paramLabel = "ID", description = "The queue id.")
    String id;

    @Override
    public Integer call() throws IOException {
      Optional<String> text;
      try {
        text = new QueueView(new QueueReader(parent.checkedDataDir())).show(id);
      } catch (IllegalArgumentException e) {
        text = Optional.empty();
      }
      if (text.isEmpty()) {
        err().println("relaypoint: no such queue id: " + id);
        return QueueExitCodes.UNKNOWN_ID;
      }
      out().print(text.get());
      out().flush();
      return QueueExitCodes.OK;
    }
  }

  @Command(name = "flush", mixinStandardHelpOptions = true, description = "Try every deferred message now.")
  static final class Flush extends Sub {
    @Override
    public Integer call() throws Exception {
      return change(Action.FLUSH, Optional.empty());
    }
  }

  /** A subcommand that applies {@link #action()} to one queue id. */
  abstract static class IdSub extends Sub {
    @Parameters(paramLabel = "ID", description = "The queue id.")
    String id;

    abstract Action action();

    @Override
    public Integer call() throws Exception {
      return change(action(), Optional.of(id));
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true, description = "Try one deferred message now.")
  static final class Retry extends IdSub {
    @Override
    Action action() {
      return Action.RETRY;
    }
  }

  @Command(name = "hold", mixinStandardHelpOptions = true, description = "Park a message: no attempts until released.")
  static final class Hold extends IdSub {
    @Override
    Action action() {
      return Action.HOLD;
    }
  }

  @Command(name = "release", mixinStandardHelpOptions = true, description = "Release a held message and try it now.")
  static final class Release extends IdSub {
    @Override
    Action action() {
      return Action.RELEASE;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a message without a bounce.")
  static final class Delete extends IdSub {
    @Override
    Action action() {
      return Action.DELETE;
    }
  }
}
