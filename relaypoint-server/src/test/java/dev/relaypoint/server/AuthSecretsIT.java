package dev.relaypoint.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.relaypoint.store.CheckpointPolicy;
import dev.relaypoint.testkit.SmtpTestClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What AUTH must not leave behind: a password in any log line at any level (SECURITY-TESTS.md §3.8),
 * and hashing threads after the server has closed.
 */
class AuthSecretsIT {

  private static final String GOOD = "Kx7-correct-Horse-31";
  private static final String BAD = "Qz9-wrong-Staple-47";

  @TempDir
  Path dir;

  private RunningServer start() throws IOException {
    UserFile users = new UserFile(dir.resolve("users"), 4);
    users.put("alice", GOOD.toCharArray());
    return RunningServer.start(dir.resolve("data"), b -> b.authenticator(users).authWithoutTls(true)
        .maxAuthFailures(100), CheckpointPolicy.DEFAULT);
  }

  @Test
  void noPasswordReachesAnyLogAtAnyLevel() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.TRACE);
    // Whether anything logs below INFO here depends on test order (Netty logs at DEBUG only while
    // its classes initialise), so check the level itself: every server logger is at TRACE.
    assertThat(LoggerFactory.getLogger("dev.relaypoint.server.internal.AuthHandler").isTraceEnabled())
        .as("TRACE is really on").isTrue();
    try (RunningServer server = start()) {
      try (SmtpTestClient c = AuthIT.ehloed(server)) {
        assertThat(c.command("AUTH PLAIN " + AuthIT.plain("alice", BAD)).code()).isEqualTo(535);
        assertThat(c.command("AUTH PLAIN").code()).isEqualTo(334);
        assertThat(c.command(AuthIT.plain("alice", BAD)).code()).isEqualTo(535);
        assertThat(c.command("AUTH LOGIN " + AuthIT.b64("alice")).code()).isEqualTo(334);
        assertThat(c.command(AuthIT.b64(BAD)).code()).isEqualTo(535);
        assertThat(c.command("AUTH LOGIN").code()).isEqualTo(334);
        assertThat(c.command(AuthIT.b64("alice")).code()).isEqualTo(334);
        assertThat(c.command(AuthIT.b64(GOOD)).code()).isEqualTo(235);
      }
      try (SmtpTestClient c = AuthIT.ehloed(server)) {
        assertThat(c.command("AUTH PLAIN " + AuthIT.plain("alice", GOOD)).code()).isEqualTo(235);
      }
    } finally {
      root.setLevel(before);
      root.detachAppender(captured);
    }
    List<String> logged = new ArrayList<>();
    for (ILoggingEvent e : captured.list) {
      logged.add(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        logged.add(t.getMessage());
      }
    }
    assertThat(logged).as("the dialog was logged at all").anyMatch(l -> l.contains("authenticated as alice"));
    for (String secret : List.of(GOOD, BAD, AuthIT.b64(GOOD), AuthIT.b64(BAD), AuthIT.plain("alice", GOOD),
        AuthIT.plain("alice", BAD))) {
      assertThat(logged).as("a log line shows %s", secret).noneMatch(l -> l != null && l.contains(secret));
    }
  }

  @Test
  void hashingThreadsEndWhenTheServerCloses() throws Exception {
    Set<Thread> before = authThreads();
    RunningServer server = start();
    try (SmtpTestClient c = AuthIT.ehloed(server)) {
      assertThat(c.command("AUTH PLAIN " + AuthIT.plain("alice", GOOD)).code()).isEqualTo(235);
    }
    Set<Thread> mine = authThreads();
    mine.removeAll(before);
    assertThat(mine).as("this server hashed on threads of its own").isNotEmpty();
    server.close();
    // close() waits for the pool to terminate; a worker's thread may take a moment more to exit.
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(mine).noneMatch(Thread::isAlive));
  }

  private static Set<Thread> authThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("relaypoint-auth"))
        .collect(Collectors.toSet());
  }
}
