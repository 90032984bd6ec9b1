package dev.relaypoint.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Forwards one direction of a {@link ProxiedConnection}, applying its {@link FaultPlan}. Reads are capped at the
 * next fault offset, so a cut or stall lands exactly on its offset even if the peer has sent more.
 */
final class Pump implements Runnable {

    private static final int BUFFER_SIZE = 16 * 1024;

    private final ProxiedConnection conn;
    private final Direction direction;
    private final Socket from;
    private final Socket to;

    Pump(ProxiedConnection conn, Direction direction, Socket from, Socket to) {
        this.conn = conn;
        this.direction = direction;
        this.from = from;
        this.to = to;
    }

    @Override
    public void run() {
        try {
            forward();
        } catch (IOException e) {
            conn.abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            conn.pumpFinished();
        }
    }

    private void forward() throws IOException, InterruptedException {
        FaultPlan plan = conn.plan();
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Deque<FaultPlan.Injection> injections = new ArrayDeque<>(plan.injections(direction));
        long cutAt = plan.cut(direction).map(FaultPlan.Cut::offset).orElse(Long.MAX_VALUE);
        long stallAt = plan.stall(direction).orElse(Long.MAX_VALUE);
        byte[] buf = new byte[BUFFER_SIZE];
        long pos = 0;
        while (!conn.isCutOrClosing()) {
            while (!injections.isEmpty() && injections.peekFirst().offset() == pos) {
                byte[] extra = injections.removeFirst().bytes();
                write(plan, out, extra, extra.length, 0);
            }
            if (pos == stallAt) {
                stallAt = Long.MAX_VALUE;
                if (!conn.stall(direction)) {
                    return;
                }
                continue;
            }
            if (pos == cutAt) {
                conn.cut(plan.cut(direction).orElseThrow().mode());
                return;
            }
            long nextEvent = Math.min(Math.min(cutAt, stallAt), injections.isEmpty()
                    ? Long.MAX_VALUE : injections.peekFirst().offset());
            int n = in.read(buf, 0, (int) Math.min(buf.length, nextEvent - pos));
            if (n < 0) {
                conn.halfClose(to);
                return;
            }
            write(plan, out, buf, n, n);
            pos += n;
        }
    }

    /** Writes {@code len} bytes in fragments; {@code original} of them count as forwarded stream bytes. */
    private void write(FaultPlan plan, OutputStream out, byte[] b, int len, int original)
            throws IOException, InterruptedException {
        int chunk = plan.fragmentSize().orElse(len);
        long delayMillis = plan.delay().toMillis();
        for (int p = 0; p < len; p += chunk) {
            int n = Math.min(chunk, len - p);
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            if (conn.isCutOrClosing()) {
                return;
            }
            out.write(b, p, n);
            conn.countWrite(direction, original == 0 ? 0 : n);
        }
    }
}
