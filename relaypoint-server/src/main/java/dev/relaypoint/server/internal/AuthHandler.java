package dev.relaypoint.server.internal;

import dev.relaypoint.server.Authenticator;
import dev.relaypoint.smtp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH PLAIN and LOGIN (RFC 4954, RFC 4616). Offered only under TLS unless configured otherwise. An
 * unknown user and a wrong password get the same 535 after the same hashing work; each connection has
 * a failure limit (then 421) and each client address a backoff ({@link AuthThrottle}). Passwords are
 * never logged, and the hash check runs off the event loop, on two threads of this server's own that
 * {@link #close()} ends (a static pool outlived every server in the JVM).
 */
final class AuthHandler implements CommandHandler, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuthHandler.class);
  private final ExecutorService hashing = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "relaypoint-auth");
    t.setDaemon(true);
    return t;
  });
  private static final String USERNAME = "VXNlcm5hbWU6"; // "Username:"
  private static final String PASSWORD = "UGFzc3dvcmQ6"; // "Password:"

  private final Authenticator users;

  AuthHandler(Authenticator users) {
    this.users = users;
  }

  @Override
  public void handle(Session session, String argument, SessionOutput out) {
    String[] words = argument.trim().split(" ");
    String mechanism = words[0].toUpperCase(Locale.ROOT);
    if (session.authIdentity().isPresent() || session.transaction().isPresent()) {
      out.reply(Replies.AUTH_NOT_NOW);
    } else if (!session.tls() && !session.server().config().authWithoutTls()) {
      out.reply(Replies.AUTH_NEEDS_TLS);
    } else if (words.length > 2 || !(mechanism.equals("PLAIN") || mechanism.equals("LOGIN"))) {
      out.reply(Replies.AUTH_UNKNOWN_MECHANISM);
    } else if (!session.server().authThrottle().allowed(session.clientAddress())) {
      out.reply(Replies.AUTH_THROTTLED);
    } else if (mechanism.equals("PLAIN")) {
      if (words.length == 2) {
        plain(session, words[1], out);
      } else {
        challenge("", out, response -> plain(session, response, out));
      }
    } else {
      Consumer<String> askPassword = user -> challenge(PASSWORD, out,
          pw -> decode(pw, out).ifPresent(password -> verify(session, user, password, out)));
      if (words.length == 2) {
        decode(words[1], out).ifPresent(askPassword);
      } else {
        challenge(USERNAME, out, name -> decode(name, out).ifPresent(askPassword));
      }
    }
  }

  private static void challenge(String text, SessionOutput out, Consumer<String> next) {
    out.reply(new Reply(334, "", List.of(text)));
    out.expectLine(line -> {
      if (line.equals("*")) {
        out.reply(Replies.AUTH_CANCELLED);
      } else {
        next.accept(line);
      }
    });
  }

  /** RFC 4616: [authzid] NUL authcid NUL passwd; an authzid other than the authcid is not allowed. */
  private void plain(Session session, String response, SessionOutput out) {
    decode(response, out).ifPresent(text -> {
      String[] parts = text.split("\0", -1);
      if (parts.length != 3 || (!parts[0].isEmpty() && !parts[0].equals(parts[1]))) {
        out.reply(Replies.AUTH_MALFORMED);
        return;
      }
      verify(session, parts[1], parts[2], out);
    });
  }

  private static Optional<String> decode(String response, SessionOutput out) {
    try {
      return Optional.of(new String(Base64.getDecoder().decode(response.equals("=") ? "" : response),
          StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      out.reply(Replies.AUTH_MALFORMED);
      return Optional.empty();
    }
  }

  private void verify(Session session, String user, String password, SessionOutput out) {
    char[] secret = password.toCharArray();
    out.pauseInput();
    CompletableFuture.supplyAsync(() -> users.authenticate(user, secret), hashing)
        .exceptionally(e -> {
          LOG.error("cannot check credentials: {}", e.toString());
          return false;
        })
        .thenAccept(ok -> out.executor().execute(() -> {
          Arrays.fill(secret, '\0');
          out.resumeInputAfter(() -> finish(session, user, ok, out));
        }));
  }

  /** Ends the hashing threads; checks still queued are dropped (their sessions are closed by now). */
  @Override
  public void close() {
    hashing.shutdownNow();
    try {
      hashing.awaitTermination(5, TimeUnit.SECONDS); // one bcrypt in progress finishes; it cannot be interrupted
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void finish(Session session, String user, boolean ok, SessionOutput out) {
    AuthThrottle throttle = session.server().authThrottle();
    if (ok) {
      throttle.succeeded(session.clientAddress());
      session.authenticated(user);
      LOG.info("{} authenticated as {}", session.clientAddress(), user);
      out.reply(Replies.AUTH_OK);
      return;
    }
    throttle.failed(session.clientAddress());
    LOG.info("failed AUTH from {}", session.clientAddress());
    out.reply(Replies.AUTH_FAILED);
    if (session.authFailed() >= session.server().config().maxAuthFailures()) {
      out.replyAndClose(Replies.AUTH_TOO_MANY_FAILURES);
    }
  }
}
