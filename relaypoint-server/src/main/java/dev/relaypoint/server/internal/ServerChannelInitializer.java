package dev.relaypoint.server.internal;

import dev.relaypoint.server.ServerConfig;
import dev.relaypoint.store.CheckpointStore;
import dev.relaypoint.store.MessageQueue;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds each connection's pipeline and keeps track of open sessions for shutdown. */
public final class ServerChannelInitializer extends ChannelInitializer<SocketChannel> {

  private final ServerContext context;
  private final CommandTable commands;
  private final AtomicInteger connections = new AtomicInteger();
  private final ChannelGroup sessions = new DefaultChannelGroup("smtp-sessions", GlobalEventExecutor.INSTANCE);

  public ServerChannelInitializer(ServerConfig config, MessageQueue queue, CheckpointStore checkpoints, Clock clock) {
    this.context = new ServerContext(config, queue, checkpoints, clock, new PendingWork());
    this.commands = new CommandTable(config);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    long idle = context.config().idleTimeout().toMillis();
    ch.pipeline()
        .addLast("idle", new IdleStateHandler(idle, 0, 0, TimeUnit.MILLISECONDS))
        .addLast("smtp", new SmtpChannelHandler(context, commands, connections));
    sessions.add(ch);
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
