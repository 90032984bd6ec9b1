package dev.relaypoint.server.internal;

import dev.relaypoint.smtp.Reply;
import dev.relaypoint.smtp.wire.LineFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes-to-session bridge for one connection. Reading is explicit (auto-read off): the handler asks
 * for more input only when it has consumed what it holds and is not waiting for the disk, and not while
 * the client leaves our replies unread. So a connection holds at most one socket read plus one partial
 * command line in memory, whatever the client sends (bounded memory, and TCP backpressure for the rest).
 * Replies to pipelined commands are written in order and flushed before we wait for input (RFC 2920).
 */
public final class SmtpChannelHandler extends ChannelInboundHandlerAdapter implements SessionOutput {

  private static final Logger LOG = LoggerFactory.getLogger(SmtpChannelHandler.class);
  private static final long LINGER_MILLIS = 2000;

  private final ServerContext server;
  private final CommandTable commands;
  private final AtomicInteger connections;
  private final LineFramer framer = new LineFramer(CommandTable.FRAMER_LIMIT);
  private ChannelHandlerContext ctx;
  private Session session;
  private ByteBuf buffer;
  private DataReceiver data;
  private boolean paused;
  private boolean closing;
  private boolean counted;

  SmtpChannelHandler(ServerContext server, CommandTable commands, AtomicInteger connections) {
    this.server = server;
    this.commands = commands;
    this.connections = connections;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    this.session = new Session(server, remote.getAddress().getHostAddress());
    counted = true;
    if (connections.incrementAndGet() > server.config().maxConnections()) {
      replyAndClose(Replies.TOO_MANY_CONNECTIONS);
      return;
    }
    reply(Replies.greeting(server.config().hostname()));
    ctx.flush();
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (closing) {
      in.release(); // draining after a final reply; see replyAndClose
      return;
    }
    buffer = buffer == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffer, in);
    process();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (closing && ctx.channel().isActive()) {
      ctx.read(); // keep draining until the client closes or the linger time ends
      return;
    }
    requestInput();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      process(); // replies were piling up unread; go on with what is buffered
      requestInput();
    }
  }

  /** Asks for more input unless we are waiting (for the disk, or for the client to read our replies). */
  private void requestInput() {
    if (!paused && !closing && ctx.channel().isWritable()) {
      ctx.read();
    }
  }

  private void process() {
    while (!paused && !closing && buffer != null && buffer.isReadable() && ctx.channel().isWritable()) {
      if (data != null) {
        if (!data.consume(buffer, this)) {
          break;
        }
        data = null;
        continue;
      }
      LineFramer.Event event = framer.next(buffer);
      if (event == null) {
        break;
      }
      if (event instanceof LineFramer.Event.Line line) {
        dispatch(line.line().toString(StandardCharsets.ISO_8859_1));
      } else if (event instanceof LineFramer.Event.TooLong) {
        reply(Replies.LINE_TOO_LONG);
      } else {
        replyAndClose(Replies.BARE_NEWLINE_COMMAND);
      }
    }
    if (buffer != null) {
      if (buffer.isReadable()) {
        buffer.discardSomeReadBytes();
      } else {
        buffer.release();
        buffer = null;
      }
    }
    ctx.flush();
  }

  private void dispatch(String line) {
    int space = line.indexOf(' ');
    String verb = space < 0 ? line : line.substring(0, space);
    String argument = space < 0 ? "" : line.substring(space + 1);
    if (!CommandTable.withinLimit(verb, line)) {
      reply(Replies.LINE_TOO_LONG);
      return;
    }
    Optional<CommandHandler> handler = commands.handler(verb);
    if (handler.isEmpty()) {
      reply(Replies.UNKNOWN_COMMAND);
      return;
    }
    handler.get().handle(session, argument, this);
  }

  @Override
  public void reply(Reply reply) {
    if (!closing) {
      ctx.write(Unpooled.wrappedBuffer(reply.toWire()));
    }
  }

  /**
   * Closing a socket that still has unread input makes the kernel send RST, and an RST can destroy our
   * last reply before the client reads it. So: send the reply, half-close (FIN), then read and drop
   * whatever the client still sends until it closes too, for at most {@link #LINGER_MILLIS}.
   */
  @Override
  public void replyAndClose(Reply reply) {
    if (closing) {
      return;
    }
    closing = true;
    ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.toWire())).addListener(f -> {
      if (!f.isSuccess() || !(ctx.channel() instanceof SocketChannel socket)) {
        ctx.close();
        return;
      }
      socket.shutdownOutput().addListener(done -> ctx.read());
      ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    });
  }

  @Override
  public void pauseInput() {
    paused = true;
  }

  @Override
  public void resumeInput() {
    paused = false;
    if (!ctx.channel().isActive()) {
      session.releaseCheckpoint(); // the connection ended while the disk was busy; see channelInactive
      return;
    }
    process();
    requestInput();
  }

  @Override
  public boolean isOpen() {
    return !closing && ctx.channel().isActive();
  }

  @Override
  public void resumeInputAfter(Runnable action) {
    if (isOpen()) {
      action.run();
    }
    resumeInput();
  }

  @Override
  public void startData(DataReceiver receiver) {
    this.data = receiver;
  }

  @Override
  public boolean hasBufferedInput() {
    return buffer != null && buffer.isReadable();
  }

  @Override
  public EventExecutor executor() {
    return ctx.executor();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      replyAndClose(Replies.TIMEOUT);
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  /** Sent to every open session when the server shuts down. */
  void shutdown() {
    replyAndClose(Replies.SHUTTING_DOWN);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    if (counted) {
      connections.decrementAndGet();
    }
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
    if (data != null) {
      data.connectionLost();
      data = null;
    } else if (session != null && !paused) {
      session.releaseCheckpoint(); // while a commit is pending, resumeInput() releases it afterwards
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
