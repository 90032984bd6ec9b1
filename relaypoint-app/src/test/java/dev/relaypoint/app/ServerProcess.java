package dev.relaypoint.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real product in a child JVM ({@code java -jar target/relaypoint.jar}), for tests that need a process:
 * crash with SIGKILL, stop with SIGTERM, exit codes, stderr. Started on an ephemeral port; the port is read
 * from the {@code Relaypoint listening on HOST:PORT} log line.
 */
final class ServerProcess implements AutoCloseable {

  static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern LISTENING = Pattern.compile("Relaypoint listening on (\\S+):(\\d+) ");

  private final Process process;
  private final StringBuffer stderr = new StringBuffer();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Thread pump;

  private ServerProcess(Process process) {
    this.process = process;
    this.pump = new Thread(this::pumpStderr, "server-stderr-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  /** {@code relaypoint serve --listen 127.0.0.1:0 --data-dir DIR --hostname mx.test EXTRA...}, once listening. */
  static ServerProcess serve(Path dataDir, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:0",
        "--data-dir", dataDir.toString(), "--hostname", "mx.test"));
    args.addAll(List.of(extra));
    return start(args);
  }

  /** Starts {@code relaypoint ARGS...} and waits for the listening line (or fails with the stderr seen). */
  static ServerProcess start(List<String> args) throws IOException {
    ServerProcess server = launch(args);
    server.awaitListening();
    return server;
  }

  /** Starts {@code relaypoint ARGS...} without waiting for anything. */
  static ServerProcess launch(List<String> args) throws IOException {
    return new ServerProcess(new ProcessBuilder(command(args)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start());
  }

  /** The command line that runs the packaged product with {@code args}. */
  static List<String> command(List<String> args) {
    Path jar = Path.of("target", "relaypoint.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run the *IT tests through 'mvnw verify' (after package)");
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(args);
    return command;
  }

  private void pumpStderr() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      // Log lines, not SMTP: readLine is fine here.
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        stderr.append(line).append('\n');
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(2)));
        }
      }
    } catch (IOException e) {
      stderr.append("[stderr pump: ").append(e).append("]\n");
    } finally {
      port.completeExceptionally(new IllegalStateException("server ended before listening"));
    }
  }

  private void awaitListening() {
    try {
      port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new IllegalStateException("interrupted while waiting for the server", e);
    } catch (ExecutionException | TimeoutException e) {
      kill();
      throw new IllegalStateException("server did not start within " + START_TIMEOUT + "; stderr:\n" + stderr(), e);
    }
  }

  int port() {
    return port.join();
  }

  String stderr() {
    return stderr.toString();
  }

  Process process() {
    return process;
  }

  // Signals go through the ProcessHandle: Process.destroy() would also close our end of stderr and lose the
  // last lines the server writes while it stops.

  /** SIGKILL (no shutdown hooks run), then waits for the process to be gone and its stderr read. */
  void kill() {
    process.toHandle().destroyForcibly();
    waitFor(Duration.ofSeconds(10));
  }

  /** SIGTERM, waits up to {@code timeout}, returns the exit code; fails if the process is still running. */
  int stop(Duration timeout) {
    process.toHandle().destroy();
    if (!waitFor(timeout)) {
      process.toHandle().destroyForcibly();
      throw new IllegalStateException("server did not exit within " + timeout + " of SIGTERM; stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  private boolean waitFor(Duration timeout) {
    try {
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (exited) {
        pump.join(Duration.ofSeconds(5).toMillis());
      }
      return exited;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
