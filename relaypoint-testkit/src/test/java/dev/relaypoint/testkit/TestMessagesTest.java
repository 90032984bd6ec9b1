package dev.relaypoint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TestMessagesTest {

    @Test
    void exactSizeCrlfLinesAndDeterministic() {
        for (int size : new int[] {0, 2, 3, 4, 50, 51, 52, 1000, 100_003}) {
            byte[] m = TestMessages.generate(size, 42);
            assertThat(m).as("size %d", size).hasSize(size);
            assertThat(m).isEqualTo(TestMessages.generate(size, 42));
            assertStrictCrlf(m);
        }
        assertThat(TestMessages.generate(1000, 1)).isNotEqualTo(TestMessages.generate(1000, 2));
        assertThatThrownBy(() -> TestMessages.generate(1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void containsLinesThatNeedDotStuffing() {
        String m = new String(TestMessages.generate(50_000, 3), StandardCharsets.US_ASCII);
        assertThat(m).contains("\r\n.\r\n").contains("\r\n..");
    }

    @Test
    void dotStuffingRoundTripsAndResumesAtLineStarts() {
        byte[] m = TestMessages.generate(20_000, 9);
        byte[] stuffed = TestMessages.dotStuff(m);
        assertThat(unstuff(stuffed)).isEqualTo(m);
        assertThat(new String(stuffed, StandardCharsets.US_ASCII)).doesNotContain("\r\n.\r\n");
        int lineStart = indexAfterNthCrlf(m, 100);
        byte[] tail = TestMessages.dotStuff(m, lineStart);
        byte[] head = TestMessages.dotStuff(Arrays.copyOf(m, lineStart));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.writeBytes(head);
        joined.writeBytes(tail);
        assertThat(joined.toByteArray()).isEqualTo(stuffed);
    }

    @Test
    void sha256MatchesKnownVector() {
        assertThat(TestMessages.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    private static void assertStrictCrlf(byte[] m) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\n') {
                assertThat(i).isPositive();
                assertThat(m[i - 1]).isEqualTo((byte) '\r');
            }
            if (m[i] == '\r') {
                assertThat(m[i + 1]).isEqualTo((byte) '\n');
            }
        }
        if (m.length > 0) {
            assertThat(m[m.length - 1]).isEqualTo((byte) '\n');
        }
    }

    private static byte[] unstuff(byte[] stuffed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < stuffed.length; i++) {
            boolean lineStart = i == 0 || (i >= 2 && stuffed[i - 2] == '\r' && stuffed[i - 1] == '\n');
            if (lineStart && stuffed[i] == '.') {
                i++;
            }
            out.write(stuffed[i]);
        }
        return out.toByteArray();
    }

    private static int indexAfterNthCrlf(byte[] m, int n) {
        for (int i = 1; i < m.length; i++) {
            if (m[i - 1] == '\r' && m[i] == '\n' && --n == 0) {
                return i + 1;
            }
        }
        throw new AssertionError("message too short");
    }
}
