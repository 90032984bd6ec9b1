package dev.relaypoint.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 (ephemeral port) that forwards to a target and injects faults at exact byte offsets:
 * cuts (FIN or RST), stalls, fragmentation, per-write delay and byte injection. This is the in-test fault proxy
 * recommended by SECURITY-TESTS.md §6.4; RFC 1845 restart tests need "drop the link after exactly N octets".
 *
 * <p>Each accepted connection takes the next {@link FaultPlan} from a queue ({@link #enqueue}); when the queue is
 * empty it is passed through unchanged. Every connection uses two threads (one per direction) from a cached pool;
 * {@link #close()} closes all sockets and waits for those threads, so no thread outlives a test.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(server.address())) {
 *     proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, 4096, CutMode.RST));
 *     client.connect(proxy.address());  ...
 *     assertThat(proxy.awaitCut(Duration.ofSeconds(5))).isTrue();
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final ExecutorService executor;
    private final Deque<FaultPlan> plans = new ArrayDeque<>();
    private final List<ProxiedConnection> connections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private int refused;
    private volatile boolean refuse;
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress target, ServerSocket listener) {
        this.target = target;
        this.listener = listener;
        this.executor = Executors.newCachedThreadPool(threadFactory(listener.getLocalPort()));
    }

    /** Binds 127.0.0.1 on an ephemeral port and starts accepting connections for {@code target}. */
    public static FaultProxy start(InetSocketAddress target) throws IOException {
        Objects.requireNonNull(target, "target");
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultProxy proxy = new FaultProxy(target, listener);
        proxy.executor.execute(proxy::acceptLoop);
        return proxy;
    }

    /** Queues {@code plan} for the next accepted connection; several calls cover several connections in order. */
    public FaultProxy enqueue(FaultPlan plan) {
        synchronized (this) {
            plans.addLast(Objects.requireNonNull(plan, "plan"));
        }
        return this;
    }

    /**
     * While true, accepted connections are reset at once (RST, no bytes), as seen from a client whose next hop
     * went down. Refused connections consume no plan and are not in {@link #connectionCount()}.
     */
    public FaultProxy refuseConnections(boolean refuse) {
        this.refuse = refuse;
        return this;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** Connections forwarded so far (refused ones excluded). */
    public synchronized int connectionCount() {
        return connections.size();
    }

    /** Connections reset because of {@link #refuseConnections(boolean)}. */
    public synchronized int refusedCount() {
        return refused;
    }

    /** The {@code index}-th forwarded connection (zero-based), waiting up to {@code timeout} for it to arrive. */
    public ProxiedConnection awaitConnection(int index, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (connections.size() <= index) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("proxy connection #" + index + " not accepted within " + timeout
                            + " (accepted: " + connections.size() + ")");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for connection #" + index, e);
                }
            }
            return connections.get(index);
        }
    }

    /** Original bytes forwarded in {@code direction} on the most recent connection (0 if there is none). */
    public synchronized long bytesForwarded(Direction direction) {
        return connections.isEmpty() ? 0 : connections.get(connections.size() - 1).bytesForwarded(direction);
    }

    /**
     * Waits until the most recent connection has been cut, first waiting for a connection if none has been
     * accepted yet. Returns false on timeout.
     */
    public boolean awaitCut(Duration timeout) {
        long start = System.nanoTime();
        ProxiedConnection last;
        synchronized (this) {
            last = connections.isEmpty() ? null : connections.get(connections.size() - 1);
        }
        if (last == null) {
            try {
                last = awaitConnection(0, timeout);
            } catch (AssertionError e) {
                return false;
            }
        }
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        return last.awaitCut(left.isNegative() ? Duration.ZERO : left);
    }

    /** Lets every stalled connection resume forwarding. */
    public void release() {
        for (ProxiedConnection c : snapshot()) {
            c.release();
        }
    }

    /** Stops accepting, closes every socket and waits for all proxy threads to finish. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ProxiedConnection c : snapshot()) {
                c.close();
            }
            executor.shutdownNow();
        }
        joinThreads();
    }

    /** Joins every thread the pool ever made: awaitTermination alone returns while workers are still exiting. */
    private void joinThreads() {
        long deadline = System.nanoTime() + SHUTDOWN_TIMEOUT.toNanos();
        List<Thread> all;
        synchronized (threads) {
            all = new ArrayList<>(threads);
        }
        try {
            for (Thread t : all) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    throw new IllegalStateException("fault proxy thread " + t.getName() + " did not stop within "
                            + SHUTDOWN_TIMEOUT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // listener closed
            }
            try {
                handle(client);
            } catch (IOException e) {
                resetQuietly(client); // target unreachable: the client sees a reset, like a dead next hop
            }
        }
    }

    private void handle(Socket client) throws IOException {
        if (refuse) {
            synchronized (this) {
                refused++;
            }
            resetQuietly(client);
            return;
        }
        client.setTcpNoDelay(true);
        Socket server = new Socket();
        try {
            server.setTcpNoDelay(true);
            server.connect(target, (int) CONNECT_TIMEOUT.toMillis());
        } catch (IOException e) {
            server.close();
            throw e;
        }
        ProxiedConnection conn;
        synchronized (this) {
            FaultPlan plan = plans.isEmpty() ? FaultPlan.passThrough() : plans.removeFirst();
            conn = new ProxiedConnection(connections.size(), plan, client, server);
            connections.add(conn);
            notifyAll();
        }
        try {
            conn.start(executor);
        } catch (RejectedExecutionException e) {
            conn.close(); // close() raced with this accept; the pool is already shut down
        }
    }

    private synchronized List<ProxiedConnection> snapshot() {
        return new ArrayList<>(connections);
    }

    private static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // Already gone.
        }
    }

    private ThreadFactory threadFactory(int port) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "fault-proxy-" + port + "-" + n.incrementAndGet());
            t.setDaemon(true); // never keep the test JVM alive, even if a test forgets close()
            synchronized (threads) {
                threads.add(t);
            }
            return t;
        };
    }

    @Override
    public String toString() {
        return "FaultProxy{" + address() + " -> " + target + ", connections=" + connectionCount() + '}';
    }
}
