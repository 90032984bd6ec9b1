package dev.relaypoint.server.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.function.Supplier;

/**
 * The Netty transport the listener runs on: native epoll where it loads (Linux x86_64 and aarch64, the
 * natives ship with the server), else NIO. Epoll is chosen without a setting because it only saves work:
 * fewer syscalls and no selector garbage per wake-up, and its {@code SocketChannel} behaves like NIO's
 * for everything the session relies on (auto-read off, writability, half-close). The choice is logged
 * at start-up so a slow deployment can be told apart from one that fell back to NIO.
 */
public record Transport(String name, Supplier<IoHandlerFactory> ioHandlers,
    Class<? extends ServerChannel> serverChannel) {

  private static final Transport EPOLL =
      new Transport("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class);
  private static final Transport NIO =
      new Transport("nio", NioIoHandler::newFactory, NioServerSocketChannel.class);

  /** Epoll when its native library loads here, else NIO. */
  public static Transport best() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /** For the start-up log: the name, and for NIO why epoll did not load. */
  public String description() {
    Throwable cause = Epoll.unavailabilityCause();
    return this == NIO && cause != null ? name + " (epoll unavailable: " + cause + ")" : name;
  }

  /** An event loop group with {@code threads} threads (0: Netty's default, twice the cores). */
  public EventLoopGroup newGroup(int threads) {
    return new MultiThreadIoEventLoopGroup(threads, ioHandlers.get());
  }
}
