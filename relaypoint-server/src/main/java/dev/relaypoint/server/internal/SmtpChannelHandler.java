package dev.relaypoint.server.internal;

import dev.relaypoint.smtp.Reply;
import dev.relaypoint.smtp.wire.LineFramer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
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
  private final ConnectionLimits connections;
  private LineFramer framer = new LineFramer(CommandTable.FRAMER_LIMIT);
  private ChannelHandlerContext ctx;
  private Session session;
  private ByteBuf buffer;
  private DataReceiver data;
  private boolean paused;
  private boolean closing;
  private boolean counted;
  private boolean greeted;
  private int errors;
  private Deadline deadline;
  private Consumer<String> lineConsumer;

  SmtpChannelHandler(ServerContext server, CommandTable commands, ConnectionLimits connections) {
    this.server = server;
    this.commands = commands;
    this.connections = connections;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    this.session = new Session(server, remote.getAddress().getHostAddress(), server.config().implicitTls());
    counted = true;
    if (!connections.admit(session.clientAddress(), session.trustedNetwork())) {
      replyAndClose(Replies.TOO_MANY_CONNECTIONS);
      return;
    }
    long delay = server.config().greetingDelay().toMillis();
    if (delay > 0) {
      ctx.executor().schedule(this::greet, delay, TimeUnit.MILLISECONDS);
      ctx.read(); // to catch a client that talks first
    } else {
      greet();
    }
  }

  private void greet() {
    if (closing) {
      return;
    }
    greeted = true;
    reply(Replies.greeting(server.config().hostname()));
    ctx.flush();
    armDeadline(server.config().idleTimeout());
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (closing) {
      in.release(); // draining after a final reply; see replyAndClose
      return;
    }
    if (!greeted) {
      in.release();
      replyAndClose(Replies.TALKED_BEFORE_GREETING); // RFC 5321 §4.3.1; a bot, not a client
      return;
    }
    if (data != null) {
      armDeadline(server.config().dataTimeout()); // data blocks: each read restarts the clock
    }
    buffer = buffer == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffer, in);
    process();
  }

  /**
   * Deadlines are absolute (SECURITY-TESTS.md §3.4, slowloris): a command must be complete within
   * {@code idleTimeout} of the server starting to wait for it, however the bytes trickle in.
   */
  private void armDeadline(Duration timeout) {
    if (deadline == null) {
      deadline = new Deadline(ctx.executor(), this::deadlinePassed);
    }
    deadline.arm(timeout);
  }

  private void deadlinePassed() {
    if (paused) {
      armDeadline(server.config().idleTimeout()); // the server is busy (disk), not the client
      return;
    }
    replyAndClose(Replies.TIMEOUT);
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
        armDeadline(server.config().idleTimeout());
        continue;
      }
      LineFramer.Event event = framer.next(buffer);
      if (event == null) {
        break;
      }
      armDeadline(server.config().idleTimeout()); // the next command's clock starts now
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
    if (lineConsumer != null) {
      Consumer<String> consumer = lineConsumer;
      lineConsumer = null;
      consumer.accept(line);
      return;
    }
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
    if (closing) {
      return;
    }
    ctx.write(encode(reply));
    if (reply.code() >= 400 && reply != Replies.TOO_MANY_RECIPIENTS) {
      countError(); // 452 4.5.3 is the client following RFC 5321 §4.5.3.1.10, not an error
    }
  }

  /** A pooled direct buffer: the transport writes it as is (a heap one it would copy first). */
  private ByteBuf encode(Reply reply) {
    ByteBuf out = ctx.alloc().directBuffer();
    reply.writeTo(out);
    return out;
  }

  @Override
  public void countError() {
    if (++errors >= server.config().maxErrors()) {
      replyAndClose(Replies.TOO_MANY_ERRORS);
    }
  }

  @Override
  public void forgiveError() {
    errors = Math.max(0, errors - 1);
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
    ctx.writeAndFlush(encode(reply)).addListener(f -> {
      if (!f.isSuccess() || !(ctx.channel() instanceof SocketChannel socket)) {
        ctx.close();
        return;
      }
      socket.shutdownOutput().addListener(done -> ctx.read());
      ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    });
  }

  @Override
  public void expectLine(Consumer<String> consumer) {
    this.lineConsumer = consumer;
  }

  @Override
  public void startTls() {
    if (buffer != null) {
      LOG.info("discarding {} octets of plaintext pipelined after STARTTLS from {}", buffer.readableBytes(),
          session.clientAddress());
      buffer.release();
      buffer = null;
    }
    framer = new LineFramer(CommandTable.FRAMER_LIMIT);
    // startTls=true: the first write, our 220, still goes out in plaintext (RFC 3207 §4)
    SslHandler tls = new SslHandler(server.config().tls().orElseThrow().newEngine(ctx.alloc()), true);
    tls.setHandshakeTimeout(server.config().idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.pipeline().addFirst(PipelineNames.TLS, tls);
    reply(Replies.READY_FOR_TLS);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done && !server.config().implicitTls()) {
      if (done.isSuccess()) {
        session = session.afterTls();
      } else {
        LOG.debug("TLS handshake with {} failed: {}", session.clientAddress(), done.cause().toString());
        ctx.close();
      }
    }
    ctx.fireUserEventTriggered(evt);
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

  /** Sent to every open session when the server shuts down. */
  void shutdown() {
    replyAndClose(Replies.SHUTTING_DOWN);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    if (deadline != null) {
      deadline.cancel();
    }
    if (counted) {
      connections.release(session.clientAddress());
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
