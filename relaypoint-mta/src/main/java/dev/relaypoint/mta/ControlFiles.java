package dev.relaypoint.mta;

import dev.relaypoint.mta.QueueControl.Answer;
import dev.relaypoint.mta.QueueControl.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Requests from {@code relaypoint queue} to the queue manager of a running server, as files in
 * {@code queue/control/} (no network admin port): the CLI renames {@code <uuid>.request} into place,
 * the manager polls, applies it and renames {@code <uuid>.answer} into place; the CLI reads and
 * deletes the answer. Both files are written whole and renamed, so neither side reads a partial line.
 * Only the owner can write there (the data directory is 0700).
 */
public final class ControlFiles {

  private static final String REQUEST = ".request";
  private static final String ANSWER = ".answer";

  private final Path dir;

  public ControlFiles(Path controlDir) {
    this.dir = controlDir;
  }

  /** CLI side: sends {@code r}; empty when no answer came within {@code timeout} (request withdrawn). */
  public Optional<Answer> submit(Request r, Duration timeout) throws IOException, InterruptedException {
    String name = UUID.randomUUID().toString();
    Path request = dir.resolve(name + REQUEST);
    Path answer = dir.resolve(name + ANSWER);
    writeWhole(request, r.format());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(answer)) {
        String text = Files.readString(answer, StandardCharsets.UTF_8);
        Files.deleteIfExists(answer);
        return Optional.of(Answer.parse(text));
      }
      Thread.sleep(25);
    }
    Files.deleteIfExists(request);
    if (Files.exists(answer)) { // answered just now, after all
      String text = Files.readString(answer, StandardCharsets.UTF_8);
      Files.deleteIfExists(answer);
      return Optional.of(Answer.parse(text));
    }
    return Optional.empty();
  }

  /** Manager side: answers every pending request. */
  public void serve(QueueControl control) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> pending;
    try (Stream<Path> s = Files.list(dir)) {
      pending = s.filter(p -> p.getFileName().toString().endsWith(REQUEST)).sorted().toList();
    }
    for (Path request : pending) {
      String text;
      try {
        text = Files.readString(request, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        continue; // withdrawn
      }
      Answer a;
      try {
        a = control.apply(Request.parse(text));
      } catch (IllegalArgumentException e) {
        a = new Answer(Answer.Outcome.FAILED, e.getMessage());
      }
      String name = request.getFileName().toString();
      writeWhole(dir.resolve(name.substring(0, name.length() - REQUEST.length()) + ANSWER), a.format());
      Files.deleteIfExists(request);
    }
  }

  private static void writeWhole(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
  }
}
