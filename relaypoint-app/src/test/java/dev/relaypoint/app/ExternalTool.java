package dev.relaypoint.app;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real peer program (swaks, curl, python3) for interop tests. A missing program fails the test with the
 * package to install; only with {@code RELAYPOINT_INTEROP_OPTIONAL=1} is the test skipped instead.
 */
record ExternalTool(Path executable) {

  static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** The result of one run: exit code and the combined stdout/stderr. */
  record Result(int exitCode, String output) {}

  /** Finds {@code name} (a bare name on PATH, or an absolute path); {@code aptPackage} is named if it is missing. */
  static ExternalTool require(String name, String aptPackage) {
    Path found = locate(name);
    if (found == null) {
      String message = name + " is not installed; install it with 'apt-get install " + aptPackage
          + "' (.ci/run does), or set RELAYPOINT_INTEROP_OPTIONAL=1 to skip the interop tests that need it";
      if ("1".equals(System.getenv("RELAYPOINT_INTEROP_OPTIONAL"))) {
        Assumptions.abort(message);
      }
      fail(message);
    }
    return new ExternalTool(found);
  }

  private static Path locate(String name) {
    if (name.startsWith("/")) {
      Path p = Path.of(name);
      return Files.isExecutable(p) ? p : null;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Runs the program with {@code args} in {@code workDir}, stdin empty. */
  Result run(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(executable.toString()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile(workDir, executable.getFileName().toString(), ".out");
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      fail(String.join(" ", command) + " did not finish within " + TIMEOUT + ":\n" + Files.readString(output));
    }
    return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }
}
