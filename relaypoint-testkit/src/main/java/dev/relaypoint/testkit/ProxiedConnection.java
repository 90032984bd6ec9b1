package dev.relaypoint.testkit;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection accepted by {@link FaultProxy} and its outgoing connection to the target. Exposes byte
 * counters and latches so a test can wait for a fault to have happened instead of sleeping.
 */
public final class ProxiedConnection {

    private final int index;
    private final FaultPlan plan;
    private final Socket client;
    private final Socket server;
    private final Map<Direction, AtomicLong> forwarded = new EnumMap<>(Direction.class);
    private final Map<Direction, AtomicLong> writes = new EnumMap<>(Direction.class);
    private final Map<Direction, CountDownLatch> stalled = new EnumMap<>(Direction.class);
    private final CountDownLatch cutLatch = new CountDownLatch(1);
    private final CountDownLatch releaseLatch = new CountDownLatch(1);
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final AtomicInteger finishedPumps = new AtomicInteger();
    // Volatile flag rather than a lock: a pump blocked in write() must not hold up the cut (the close unblocks it).
    private volatile boolean cut;
    private volatile boolean closing;

    ProxiedConnection(int index, FaultPlan plan, Socket client, Socket server) {
        this.index = index;
        this.plan = plan;
        this.client = client;
        this.server = server;
        for (Direction d : Direction.values()) {
            forwarded.put(d, new AtomicLong());
            writes.put(d, new AtomicLong());
            stalled.put(d, new CountDownLatch(1));
        }
    }

    /** Zero-based position among the connections the proxy forwarded (refused ones are not counted). */
    public int index() {
        return index;
    }

    public FaultPlan plan() {
        return plan;
    }

    /** Original bytes forwarded in {@code direction} so far (injected bytes excluded). */
    public long bytesForwarded(Direction direction) {
        return forwarded.get(direction).get();
    }

    /** Socket writes done in {@code direction} so far, injections included (lets tests check fragmenting). */
    public long writeCount(Direction direction) {
        return writes.get(direction).get();
    }

    public boolean isCut() {
        return cut;
    }

    /** Waits until the plan's cut has happened; false on timeout. */
    public boolean awaitCut(Duration timeout) {
        return await(cutLatch, timeout);
    }

    /** Waits until {@code direction} has reached its stall offset; false on timeout. */
    public boolean awaitStalled(Direction direction, Duration timeout) {
        return await(stalled.get(direction), timeout);
    }

    /** Waits until both directions have finished and both sockets are closed; false on timeout. */
    public boolean awaitClosed(Duration timeout) {
        return await(closedLatch, timeout);
    }

    /** Cuts both sides now, whatever the plan says (e.g. to break a stalled connection). */
    public void abort(CutMode mode) {
        cut(mode);
    }

    /** Lets stalled directions resume forwarding. */
    public void release() {
        releaseLatch.countDown();
    }

    void start(ExecutorService executor) {
        executor.execute(new Pump(this, Direction.CLIENT_TO_SERVER, client, server));
        executor.execute(new Pump(this, Direction.SERVER_TO_CLIENT, server, client));
    }

    boolean isCutOrClosing() {
        return cut || closing;
    }

    void countWrite(Direction direction, int originalBytes) {
        writes.get(direction).incrementAndGet();
        forwarded.get(direction).addAndGet(originalBytes);
    }

    /** Blocks the calling pump until released or closed; returns false if the connection is closing. */
    boolean stall(Direction direction) throws InterruptedException {
        stalled.get(direction).countDown();
        releaseLatch.await();
        return !closing;
    }

    void cut(CutMode mode) {
        cut = true;
        for (Socket s : new Socket[] {client, server}) {
            try {
                if (mode == CutMode.RST) {
                    s.setSoLinger(true, 0);
                } else {
                    s.shutdownOutput();
                }
            } catch (IOException e) {
                // The peer may already be gone; the close below is what matters.
            }
        }
        closeQuietly(client);
        closeQuietly(server);
        cutLatch.countDown();
    }

    /** Called by a pump whose source reached EOF: pass the half-close on, as a transparent proxy would. */
    void halfClose(Socket destination) {
        try {
            destination.shutdownOutput();
        } catch (IOException e) {
            // Already closed: nothing left to propagate.
        }
    }

    /** Called by a pump that hit an I/O error: the peer reset or vanished, so reset the other side too. */
    void abort() {
        if (cut || closing) {
            return;
        }
        try {
            client.setSoLinger(true, 0);
            server.setSoLinger(true, 0);
        } catch (IOException e) {
            // Best effort; closing is what matters.
        }
        closeQuietly(client);
        closeQuietly(server);
    }

    void pumpFinished() {
        if (finishedPumps.incrementAndGet() == 2) {
            closeQuietly(client);
            closeQuietly(server);
            closedLatch.countDown();
        }
    }

    /** Proxy shutdown: unblock everything. */
    void close() {
        closing = true;
        releaseLatch.countDown();
        closeQuietly(client);
        closeQuietly(server);
    }


    private static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Closing for cleanup; nothing useful to do.
        }
    }

    @Override
    public String toString() {
        return "ProxiedConnection#" + index + "{c2s=" + bytesForwarded(Direction.CLIENT_TO_SERVER)
                + ", s2c=" + bytesForwarded(Direction.SERVER_TO_CLIENT) + ", cut=" + cut + '}';
    }
}
