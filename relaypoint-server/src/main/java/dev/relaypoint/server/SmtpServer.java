package dev.relaypoint.server;

import dev.relaypoint.server.internal.ServerChannelInitializer;
import dev.relaypoint.server.internal.Transport;
import dev.relaypoint.store.CheckpointStore;
import dev.relaypoint.store.MessageQueue;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Relaypoint SMTP listener. Build it with {@link #newBuilder()}, {@link #start()} it, and
 * {@link #close()} it to shut down: new connections stop, open sessions are told 421, and transfers
 * in progress are checkpointed so their clients can resume. After close no thread of the server is left.
 */
public final class SmtpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);

  private final ServerConfig config;
  private final MessageQueue queue;
  private final CheckpointStore checkpoints;
  private final Clock clock;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel channel;
  private ServerChannelInitializer initializer;

  private SmtpServer(Builder b) {
    this.config = Objects.requireNonNull(b.config, "config");
    this.queue = Objects.requireNonNull(b.queue, "queue");
    this.checkpoints = Objects.requireNonNull(b.checkpoints, "checkpoints");
    this.clock = b.clock;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Binds the listen address; throws if it is taken or not allowed. */
  public synchronized SmtpServer start() throws IOException {
    if (channel != null) {
      throw new IllegalStateException("already started");
    }
    Transport transport = Transport.best();
    boss = transport.newGroup(1);
    workers = transport.newGroup(0);
    initializer = new ServerChannelInitializer(config, queue, checkpoints, clock);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(initializer);
    try {
      channel = bootstrap.bind(config.listen()).sync().channel();
    } catch (Exception e) {
      shutdownGroups();
      initializer.close();
      throw new IOException("cannot listen on " + describe(config.listen()) + ": " + e.getMessage(), e);
    }
    LOG.info("SMTP listener {} runs on the {} transport", describe(address()), transport.description());
    return this;
  }

  /** The bound address (useful with port 0). */
  public InetSocketAddress address() {
    if (channel == null) {
      throw new IllegalStateException("not started");
    }
    return (InetSocketAddress) channel.localAddress();
  }

  public ServerConfig config() {
    return config;
  }

  @Override
  public synchronized void close() {
    close(Duration.ofSeconds(10));
  }

  /** Stops listening, ends every session with 421, and waits up to {@code grace} for them to close. */
  public synchronized void close(Duration grace) {
    if (channel == null) {
      return;
    }
    channel.close().syncUninterruptibly();
    initializer.shutdownSessions(grace);
    shutdownGroups();
    // A session's close future completes before its channelInactive runs, and channelInactive is what
    // starts the last checkpoint of a transfer cut by the shutdown. The event loops have run every such
    // task by now, so this wait sees them all (before, the store could close under them: "store is closed").
    initializer.awaitPendingWork(grace);
    initializer.close();
    channel = null;
  }

  private void shutdownGroups() {
    if (workers != null) {
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static String describe(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  /** Builder: config, queue and checkpoint store are required. */
  public static final class Builder {
    private ServerConfig config = ServerConfig.newBuilder().build();
    private MessageQueue queue;
    private CheckpointStore checkpoints;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder config(ServerConfig config) {
      this.config = config;
      return this;
    }

    public Builder queue(MessageQueue queue) {
      this.queue = queue;
      return this;
    }

    public Builder checkpoints(CheckpointStore checkpoints) {
      this.checkpoints = checkpoints;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public SmtpServer build() {
      return new SmtpServer(this);
    }
  }
}
