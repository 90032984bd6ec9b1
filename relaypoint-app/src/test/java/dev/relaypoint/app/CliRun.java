package dev.relaypoint.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of the packaged {@code relaypoint} command to completion: exit code, stdout and stderr. */
record CliRun(int exitCode, String stdout, String stderr) {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Runs {@code relaypoint ARGS...} with {@code workDir} as the current directory. */
  static CliRun run(Path workDir, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    Process process = new ProcessBuilder(ServerProcess.command(List.of(args))).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("relaypoint " + String.join(" ", args) + " did not exit within " + TIMEOUT
          + "; stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  List<String> stderrLines() {
    return stderr.lines().toList();
  }

  /** The lines the CLI itself wrote as errors ({@code relaypoint: ...}), not log lines. */
  List<String> errorLines() {
    return stderr.lines().filter(l -> l.startsWith("relaypoint: ")).toList();
  }
}
