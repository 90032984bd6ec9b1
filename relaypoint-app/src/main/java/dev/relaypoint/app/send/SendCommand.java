package dev.relaypoint.app.send;

import dev.relaypoint.client.AddressResolver;
import dev.relaypoint.client.Destination;
import dev.relaypoint.client.Envelope;
import dev.relaypoint.client.GaveUpException;
import dev.relaypoint.client.MessageSource;
import dev.relaypoint.client.RecipientStatus;
import dev.relaypoint.client.RejectedException;
import dev.relaypoint.client.RetryPolicy;
import dev.relaypoint.client.SendException;
import dev.relaypoint.client.SendResult;
import dev.relaypoint.client.SmtpClient;
import dev.relaypoint.client.TlsMode;
import dev.relaypoint.client.TlsPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code relaypoint send}: sends one message with RFC 1845 checkpoint/restart. The send state lives in
 * the state directory from before the first byte until the server accepts the message, so running the
 * same command again after a crash or kill resumes where the server's checkpoint ends.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Send one message, resuming after breaks (RFC 1845 CHECKPOINT).",
    footer = {"", "Exit codes: 0 every recipient accepted; 1 local error; 2 usage; "
        + "3 permanently rejected; 4 gave up after retries, or TLS required and not available (run again to "
        + "resume)."})
public final class SendCommand implements Callable<Integer> {

  static final class Target {
    @Option(names = "--server", paramLabel = "HOST[:PORT]", description = "Send to this server (default port 25).")
    String server;

    @Option(names = "--mx", paramLabel = "DOMAIN", description = "Send to the MX hosts of DOMAIN.")
    String mx;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @Option(names = "--from", required = true, paramLabel = "ADDR", description = "Envelope sender (\"\" for <>).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "ADDR", description = "Recipient (repeatable).")
  List<String> to;

  @Option(names = "--ehlo", paramLabel = "NAME", description = "EHLO name (default: this host's name).")
  String ehlo;

  @Option(names = "--transid", paramLabel = "ID", description = "TRANSID <local@domain> (default: random).")
  String transId;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where send state is kept (default: ~/.local/state/relaypoint/send).")
  Path stateDir;

  @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "6", description = "Attempts (default: 6).")
  int maxAttempts;

  @Option(names = "--retry-delay", paramLabel = "SECONDS", defaultValue = "2",
      description = "Wait before the first retry, doubling up to 30 minutes (default: 2).")
  double retryDelay;

  @Option(names = "--resolver", paramLabel = "IP[:PORT]", description = "DNS server to ask (default: the system's).")
  String resolver;

  @Option(names = "--tls", paramLabel = "MODE", defaultValue = "opportunistic",
      description = "STARTTLS: none, opportunistic (default: encrypt when offered, without checking the "
          + "certificate) or required (an authenticated TLS session or no send).")
  String tls;

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "With --tls required: trust only the certificates in this PEM file (default: the JVM's CAs).")
  Path tlsCa;

  @Option(names = "--tls-insecure",
      description = "With --tls required: accept any certificate for any name. Encrypts but authenticates "
          + "nothing: for a lab only.")
  boolean tlsInsecure;

  @Option(names = {"-v", "--verbose"}, description = "Print a summary line when done.")
  boolean verbose;

  @Parameters(index = "0", paramLabel = "FILE|-", description = "The message (RFC 5322), or - for standard input.")
  String file;

  private final PrintStream err;
  private final boolean interactive;

  public SendCommand() {
    this(System.err, System.console() != null);
  }

  SendCommand(PrintStream err, boolean interactive) {
    this.err = err;
    this.interactive = interactive;
  }

  @Override
  public Integer call() {
    SmtpClient client;
    Envelope envelope;
    try {
      envelope = new Envelope(from, to);
      client = client();
      if (transId != null) {
        dev.relaypoint.smtp.TransactionId.parse(transId);
      }
    } catch (IllegalArgumentException | dev.relaypoint.smtp.SmtpSyntaxException e) {
      err.println("relaypoint send: " + e.getMessage());
      return SendExitCodes.USAGE;
    }
    ProgressBar bar = new ProgressBar(err, System::nanoTime);
    if (interactive) {
      client = client.toBuilder().listener(bar).build();
    }
    Path spooled = null;
    try {
      Path message;
      if (file.equals("-")) {
        spooled = StdinSpool.spool(System.in, stateDir());
        message = spooled;
      } else {
        message = Path.of(file);
        if (!Files.isReadable(message)) {
          err.println("relaypoint send: cannot read " + file);
          return SendExitCodes.LOCAL_FAILURE;
        }
      }
      SendResult result = transId == null ? client.send(envelope, MessageSource.of(message))
          : client.send(envelope, MessageSource.of(message), transId);
      bar.endLine();
      if (spooled != null) {
        Files.deleteIfExists(spooled);
      }
      return report(result);
    } catch (RejectedException e) {
      bar.endLine();
      deleteQuietly(spooled);
      reportRecipients(e.recipients());
      err.println("relaypoint send: rejected: " + e.getMessage());
      return SendExitCodes.REJECTED;
    } catch (GaveUpException e) {
      bar.endLine();
      err.println("relaypoint send: " + e.getMessage() + " (run the same command again to resume)");
      return SendExitCodes.GAVE_UP;
    } catch (SendException e) {
      bar.endLine();
      err.println("relaypoint send: " + e.getMessage());
      return SendExitCodes.GAVE_UP;
    } catch (IOException e) {
      bar.endLine();
      err.println("relaypoint send: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return SendExitCodes.LOCAL_FAILURE;
    }
  }

  private int report(SendResult result) {
    int code = reportRecipients(result.recipients());
    if (verbose) {
      err.println("delivered" + result.queueId().map(q -> " as " + q).orElse("") + ": " + result.messageSize()
          + " octets, " + result.octetsSent() + " sent, " + result.octetsSkipped() + " skipped by restart, "
          + result.attempts() + (result.attempts() == 1 ? " attempt" : " attempts"));
    }
    return code;
  }

  /** One line per refused recipient; the exit code the worst of them deserves. */
  private int reportRecipients(List<RecipientStatus> statuses) {
    int code = SendExitCodes.OK;
    for (RecipientStatus s : statuses) {
      if (!s.accepted()) {
        err.println("relaypoint send: " + s.address() + ": " + s.reply());
        code = s.reply().isPermanent() ? SendExitCodes.REJECTED : Math.max(code, SendExitCodes.GAVE_UP);
      }
    }
    return statuses.stream().anyMatch(s -> !s.accepted() && s.reply().isPermanent()) ? SendExitCodes.REJECTED : code;
  }

  private SmtpClient client() {
    Destination destination = target.server != null ? Destination.parseServer(target.server)
        : Destination.mx(target.mx);
    Duration first = Duration.ofMillis((long) (retryDelay * 1000));
    Duration cap = first.compareTo(Duration.ofMinutes(30)) > 0 ? first : Duration.ofMinutes(30);
    SmtpClient.Builder b = SmtpClient.newBuilder()
        .destination(destination)
        .tls(tlsPolicy())
        .stateDirectory(stateDir())
        .retryPolicy(new RetryPolicy(maxAttempts, first, cap, 2.0));
    if (ehlo != null) {
      b.ehloName(ehlo);
    }
    if (resolver != null) {
      b.resolver(AddressResolver.dns(nameServer(resolver)));
    }
    return b.build();
  }

  /** The --tls flags; the trust flags only mean something when TLS is required, so elsewhere they are an error. */
  private TlsPolicy tlsPolicy() {
    TlsMode mode = TlsMode.parse(tls);
    if ((tlsCa != null || tlsInsecure) && mode != TlsMode.REQUIRED) {
      throw new IllegalArgumentException((tlsCa != null ? "--tls-ca" : "--tls-insecure")
          + " needs --tls required (opportunistic TLS does not check certificates)");
    }
    if (tlsCa != null && tlsInsecure) {
      throw new IllegalArgumentException("--tls-ca and --tls-insecure exclude each other");
    }
    TlsPolicy policy = TlsPolicy.of(mode);
    return tlsCa != null ? policy.trusting(tlsCa) : tlsInsecure ? policy.insecureTrustAllForLabUseOnly() : policy;
  }

  /** {@code IP}, {@code IP:PORT}, {@code [IPv6]:PORT} or a bare IPv6 literal; port 53 by default. */
  static InetSocketAddress nameServer(String text) {
    boolean bareV6 = !text.startsWith("[") && text.indexOf(':') != text.lastIndexOf(':');
    boolean hasPort = !bareV6 && (text.startsWith("[") ? text.contains("]:") : text.contains(":"));
    Destination.Server ns = (Destination.Server) Destination.parseServer(bareV6 ? "[" + text + "]" : text);
    return new InetSocketAddress(ns.host(), hasPort ? ns.port() : 53);
  }

  private Path stateDir() {
    if (stateDir == null) {
      String xdg = System.getenv("XDG_STATE_HOME");
      Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
      stateDir = base.resolve("relaypoint").resolve("send");
    }
    return stateDir;
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a leftover spool file is harmless
      }
    }
  }
}
