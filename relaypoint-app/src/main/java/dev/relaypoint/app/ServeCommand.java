package dev.relaypoint.app;

import dev.relaypoint.app.config.ConfigFile;
import dev.relaypoint.app.config.ServeSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code relaypoint serve}: run the SMTP server and the queue manager until SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the SMTP server (RFC 5321 with RFC 1845 CHECKPOINT) and the queue manager: local mail to",
        "Maildir (or discarded), other domains relayed (for trusted clients) through the resumable client.",
        "Stops cleanly on SIGTERM or Ctrl-C: transfers in progress stay resumable."})
final class ServeCommand implements Callable<Integer>, ServeSettings.Flags {

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to listen on (default 127.0.0.1:2525).")
  String listen;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Spool, checkpoints and Maildir (default ./relaypoint-data).")
  Path dataDir;

  @Option(names = "--hostname", paramLabel = "NAME", description = "Name in the greeting and trace headers (default: this host's name).")
  String hostname;

  @Option(names = "--domain", paramLabel = "D", description = "A local domain; repeat for more (default localhost).")
  List<String> domains;

  @Option(names = "--local-delivery", paramLabel = "maildir|discard",
      description = "What mail for the local domains gets: maildir (default), or discard (accepted, then thrown away as delivered).")
  String localDelivery;

  @Option(names = "--max-message-size", paramLabel = "SIZE", description = "Largest message accepted, e.g. 64M, 2G (default 64M).")
  String maxMessageSize;

  @Option(names = "--checkpoint-retention", paramLabel = "DURATION", description = "How long interrupted transfers are kept (default 48h).")
  String checkpointRetention;

  @Option(names = "--checkpoint-interval", paramLabel = "DURATION", description = "Checkpoint at least this often during a transfer (default 1s).")
  String checkpointInterval;

  @Option(names = "--checkpoint-bytes", paramLabel = "SIZE", description = "Checkpoint after this much data (default 1M).")
  String checkpointBytes;

  @Option(names = "--no-checkpoint", description = "Do not offer CHECKPOINT (RFC 1845).")
  boolean noCheckpoint;

  @Option(names = "--checkpoint-retention-unauthenticated", paramLabel = "DURATION",
      description = "How long interrupted transfers of clients without AUTH are kept (default 1h).")
  String checkpointRetentionUnauthenticated;

  @Option(names = "--checkpoint-max-per-client", paramLabel = "N",
      description = "Open checkpointed transfers per client (AUTH user or address); more get 452 (default 16).")
  Integer checkpointMaxPerClient;

  @Option(names = "--checkpoint-max-bytes-per-client", paramLabel = "SIZE",
      description = "Bytes in open checkpoints per client (default 1G).")
  String checkpointMaxBytesPerClient;

  @Option(names = "--checkpoint-max-total-bytes", paramLabel = "SIZE",
      description = "Bytes in all open checkpoints (default 10G).")
  String checkpointMaxTotalBytes;

  @Option(names = "--checkpoint-min-free-space", paramLabel = "SIZE|N%",
      description = "Below this free space no new checkpoints and no CHECKPOINT offered (default 1G).")
  String checkpointMinFreeSpace;

  @Option(names = "--trusted-network", paramLabel = "CIDR", description = "Clients allowed to relay; repeat for more (default 127.0.0.0/8 and ::1).")
  List<String> trustedNetworks;

  @Option(names = "--route", paramLabel = "DOMAIN=HOST:PORT",
      description = "Static route for a recipient domain (DOMAIN=discard throws its mail away); repeat for more.")
  List<String> routes;

  @Option(names = "--smarthost", paramLabel = "HOST:PORT", description = "Send all non-local mail there instead of to the MX hosts.")
  String smarthost;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML or TOML file with the same settings (flags win).")
  Path config;

  @Override
  public Integer call() throws Exception {
    ConfigFile file = config == null ? ConfigFile.EMPTY : ConfigFile.read(config);
    ServeSettings settings = ServeSettings.resolve(file, this);
    return new Relaypoint(settings).runUntilStopped();
  }

  @Override public String listen() { return listen; }
  @Override public Path dataDir() { return dataDir; }
  @Override public String hostname() { return hostname; }
  @Override public List<String> domains() { return domains; }
  @Override public String localDelivery() { return localDelivery; }
  @Override public String maxMessageSize() { return maxMessageSize; }
  @Override public String checkpointRetention() { return checkpointRetention; }
  @Override public String checkpointInterval() { return checkpointInterval; }
  @Override public String checkpointBytes() { return checkpointBytes; }
  @Override public boolean noCheckpoint() { return noCheckpoint; }
  @Override public String checkpointRetentionUnauthenticated() { return checkpointRetentionUnauthenticated; }
  @Override public Integer checkpointMaxPerClient() { return checkpointMaxPerClient; }
  @Override public String checkpointMaxBytesPerClient() { return checkpointMaxBytesPerClient; }
  @Override public String checkpointMaxTotalBytes() { return checkpointMaxTotalBytes; }
  @Override public String checkpointMinFreeSpace() { return checkpointMinFreeSpace; }
  @Override public List<String> trustedNetworks() { return trustedNetworks; }
  @Override public List<String> routes() { return routes; }
  @Override public String smarthost() { return smarthost; }
}
