package dev.relaypoint.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relaypoint.testkit.TestServer.ReadResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Cuts must land on the exact byte offset, in both directions, with both FIN and RST. */
class FaultProxyCutTest {

    // Small enough to fit in loopback socket buffers, so RST never discards bytes already forwarded.
    private static final int PAYLOAD = 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @ParameterizedTest
    @EnumSource(CutMode.class)
    void clientToServerCutForwardsExactlyOffsetBytes(CutMode mode) throws Exception {
        byte[] payload = randomBytes(PAYLOAD, 1);
        try (TestServer<ReadResult> server = TestServer.sink();
                FaultProxy proxy = FaultProxy.start(server.address())) {
            for (long offset : new long[] {0, 1, 4321, PAYLOAD - 1, PAYLOAD}) {
                assertClientToServerCut(server, proxy, payload, offset, mode);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CutMode.class)
    void serverToClientCutForwardsExactlyOffsetBytes(CutMode mode) throws Exception {
        byte[] payload = randomBytes(PAYLOAD, 2);
        try (TestServer<ReadResult> server = TestServer.blob(payload);
                FaultProxy proxy = FaultProxy.start(server.address())) {
            for (long offset : new long[] {0, 1, 4321, PAYLOAD - 1}) {
                assertServerToClientCut(proxy, payload, offset, mode);
            }
        }
    }

    @Test
    void fiftyRandomCutsAreExact() throws Exception {
        Random random = new Random(1845);
        byte[] payload = randomBytes(PAYLOAD, 3);
        try (TestServer<ReadResult> sink = TestServer.sink();
                TestServer<ReadResult> blob = TestServer.blob(payload);
                FaultProxy toSink = FaultProxy.start(sink.address());
                FaultProxy toBlob = FaultProxy.start(blob.address())) {
            for (int i = 0; i < 50; i++) {
                long offset = random.nextInt(PAYLOAD); // < PAYLOAD so the S2C cut always triggers
                CutMode mode = random.nextBoolean() ? CutMode.FIN : CutMode.RST;
                if (random.nextBoolean()) {
                    assertClientToServerCut(sink, toSink, payload, offset, mode);
                } else {
                    assertServerToClientCut(toBlob, payload, offset, mode);
                }
            }
            assertThat(toSink.connectionCount() + toBlob.connectionCount()).isEqualTo(50);
        }
    }

    @Test
    void cutOnTheClientSideReachesTheServerAsEofWhenNothingIsPending() throws Exception {
        try (TestServer<ReadResult> server = TestServer.sink();
                FaultProxy proxy = FaultProxy.start(server.address());
                Socket client = new Socket()) {
            proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, 5, CutMode.FIN));
            client.connect(proxy.address());
            client.getOutputStream().write("HELO x\r\n".getBytes());
            assertThat(proxy.awaitCut(WAIT)).isTrue();
            ReadResult seen = server.nextResult();
            assertThat(new String(seen.bytes())).isEqualTo("HELO ");
            assertThat(seen.reset()).isFalse();
            assertThat(proxy.awaitConnection(0, WAIT).awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void connectionsWithoutPlanPassThroughAndPlansAreUsedInOrder() throws Exception {
        byte[] payload = randomBytes(1000, 4);
        try (TestServer<ReadResult> server = TestServer.sink();
                FaultProxy proxy = FaultProxy.start(server.address())) {
            assertClientToServerCut(server, proxy, payload, 10, CutMode.RST);
            try (Socket client = new Socket()) {
                client.connect(proxy.address());
                client.getOutputStream().write(payload);
                client.shutdownOutput();
                ReadResult seen = server.nextResult();
                assertThat(seen.bytes()).isEqualTo(payload);
                assertThat(seen.reset()).isFalse();
            }
            assertThat(proxy.connectionCount()).isEqualTo(2);
            assertThat(proxy.bytesForwarded(Direction.CLIENT_TO_SERVER)).isEqualTo(1000);
        }
    }

    private static void assertClientToServerCut(TestServer<ReadResult> server, FaultProxy proxy, byte[] payload,
            long offset, CutMode mode) throws Exception {
        proxy.enqueue(FaultPlan.cutAt(Direction.CLIENT_TO_SERVER, offset, mode));
        try (Socket client = new Socket()) {
            client.connect(proxy.address());
            try {
                OutputStream out = client.getOutputStream();
                out.write(payload);
                out.flush();
            } catch (IOException e) {
                // Expected sometimes: the proxy may reset us while we are still writing.
            }
            assertThat(proxy.awaitCut(WAIT)).as("cut at %d", offset).isTrue();
            ReadResult seen = server.nextResult();
            assertThat(seen.bytes()).as("%s cut at %d", mode, offset)
                    .isEqualTo(Arrays.copyOf(payload, (int) offset));
            assertThat(seen.reset()).as("server saw reset, %s at %d", mode, offset).isEqualTo(mode == CutMode.RST);
            assertThat(proxy.bytesForwarded(Direction.CLIENT_TO_SERVER)).isEqualTo(offset);
        }
    }

    private static void assertServerToClientCut(FaultProxy proxy, byte[] payload, long offset, CutMode mode)
            throws Exception {
        proxy.enqueue(FaultPlan.cutAt(Direction.SERVER_TO_CLIENT, offset, mode));
        try (Socket client = new Socket()) {
            client.connect(proxy.address());
            ReadResult seen = TestServer.readAll(client.getInputStream());
            assertThat(proxy.awaitCut(WAIT)).isTrue();
            assertThat(seen.bytes()).as("%s cut at %d", mode, offset)
                    .isEqualTo(Arrays.copyOf(payload, (int) offset));
            assertThat(seen.reset()).as("client saw reset, %s at %d", mode, offset).isEqualTo(mode == CutMode.RST);
            assertThat(proxy.bytesForwarded(Direction.SERVER_TO_CLIENT)).isEqualTo(offset);
        }
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
