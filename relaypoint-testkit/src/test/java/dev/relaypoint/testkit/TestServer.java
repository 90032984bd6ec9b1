package dev.relaypoint.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain ServerSocket on 127.0.0.1:0 that runs a handler per connection and collects results. */
final class TestServer<T> implements AutoCloseable {

    @FunctionalInterface
    interface Handler<T> {
        T handle(Socket socket) throws IOException;
    }

    /** What a reader saw: the bytes, and whether the stream ended with a reset (error) rather than EOF. */
    record ReadResult(byte[] bytes, boolean reset) {
    }

    private final ServerSocket listener;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-server");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Object> results = new LinkedBlockingQueue<>();

    private TestServer(Handler<T> handler) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        executor.execute(() -> {
            while (!listener.isClosed()) {
                Socket s;
                try {
                    s = listener.accept();
                } catch (IOException e) {
                    return;
                }
                open.add(s);
                executor.execute(() -> {
                    try (s) {
                        results.add(handler.handle(s));
                    } catch (IOException | RuntimeException e) {
                        results.add(e);
                    }
                });
            }
        });
    }

    static <T> TestServer<T> start(Handler<T> handler) throws IOException {
        return new TestServer<>(handler);
    }

    /** Reads everything until EOF or a reset. */
    static TestServer<ReadResult> sink() throws IOException {
        return start(s -> readAll(s.getInputStream()));
    }

    /** Writes {@code blob}, then drains the client until it goes away. */
    static TestServer<ReadResult> blob(byte[] blob) throws IOException {
        return start(s -> {
            try {
                s.getOutputStream().write(blob);
            } catch (IOException e) {
                return new ReadResult(new byte[0], true);
            }
            return readAll(s.getInputStream());
        });
    }

    /** Writes {@code bytes} and closes at once, like a server that says its piece and hangs up. */
    static TestServer<ReadResult> writeAndClose(byte[] bytes) throws IOException {
        return start(s -> {
            s.getOutputStream().write(bytes);
            s.shutdownOutput();
            return new ReadResult(bytes, false);
        });
    }

    /** Echoes every byte back until EOF, then closes. */
    static TestServer<ReadResult> echo() throws IOException {
        return start(s -> {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) {
                s.getOutputStream().write(buf, 0, n);
                seen.write(buf, 0, n);
            }
            return new ReadResult(seen.toByteArray(), false);
        });
    }

    static ReadResult readAll(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
            return new ReadResult(out.toByteArray(), false);
        } catch (IOException e) {
            return new ReadResult(out.toByteArray(), true);
        }
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** The next handler result, failing the test if the handler threw or nothing arrives in 5 s. */
    @SuppressWarnings("unchecked")
    T nextResult() throws InterruptedException {
        Object r = results.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("test server produced no result within 5 s");
        }
        if (r instanceof Exception) {
            throw new AssertionError("test server handler failed", (Exception) r);
        }
        return (T) r;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close(); // unblocks handlers still reading
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
