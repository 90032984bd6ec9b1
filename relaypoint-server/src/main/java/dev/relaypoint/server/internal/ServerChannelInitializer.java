package dev.relaypoint.server.internal;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.store.CheckpointStore;
import dev.relaypoint.store.MessageQueue;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Clock;
import java.time.Duration;

/** Builds each connection's pipeline and keeps track of open sessions for shutdown. */
public final class ServerChannelInitializer extends ChannelInitializer<SocketChannel> {

  private final ServerContext context;
  private final CommandTable commands;
  private final ConnectionLimits connections;
  private final ChannelGroup sessions = new DefaultChannelGroup("smtp-sessions", GlobalEventExecutor.INSTANCE);

  public ServerChannelInitializer(ServerConfig config, MessageQueue queue, CheckpointStore checkpoints, Clock clock) {
    this.context = new ServerContext(config, queue, checkpoints, clock, new PendingWork(),
        new AuthThrottle(clock),
        new CheckpointQuotaGate(config.checkpointQuotas(), checkpoints.usage(), System::nanoTime));
    this.commands = new CommandTable(config);
    this.connections = new ConnectionLimits(config);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (context.config().implicitTls()) {
      ch.pipeline().addLast(PipelineNames.TLS, context.config().tls().orElseThrow().newHandler(ch.alloc()));
    }
    ch.pipeline().addLast(PipelineNames.SMTP, new SmtpChannelHandler(context, commands, connections));
    sessions.add(ch);
  }

  /** Releases the handlers' own threads; call once the sessions are gone. */
  public void close() {
    commands.close();
    context.pending().close();
  }

  /** Waits for store work that sessions started as they closed; call after the event loops have stopped. */
  public void awaitPendingWork(Duration grace) {
    context.pending().await(grace);
  }

  /** Tells every open session 421 and waits for them to close and for their last checkpoints. */
  public void shutdownSessions(Duration grace) {
    sessions.forEach(ch -> ch.eventLoop().execute(() -> {
      SmtpChannelHandler handler = ch.pipeline().get(SmtpChannelHandler.class);
      if (handler != null) {
        handler.shutdown();
      } else {
        ch.close();
      }
    }));
    sessions.newCloseFuture().awaitUninterruptibly(grace.toMillis());
    context.pending().await(grace);
  }
}
