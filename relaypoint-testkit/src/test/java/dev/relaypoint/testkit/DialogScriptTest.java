package dev.relaypoint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DialogScriptTest {

    @Test
    void parsesEveryDirective() {
        DialogScript script = DialogScript.parse("all.dialog", String.join("\r\n",
                "# comment",
                "",
                "S: 220 *",
                "C: EHLO x",
                "S~ 250",
                "C~ 'a\\r\\n.\\n\\x00'",
                "C! 100",
                "C! 100 from {off} seed 7",
                "S: 250-{v}",
                "=== second",
                "S: <closed>",
                "!cut"));
        assertThat(script.connections()).extracting(DialogScript.Connection::name).containsExactly("main", "second");
        List<DialogStep> main = script.connections().get(0).steps();
        assertThat(main).hasSize(7);
        assertThat(main.get(0)).isEqualTo(new DialogStep.ExpectLine(3, "S: 220 *", "220 *"));
        assertThat(main.get(1)).isEqualTo(new DialogStep.Send(4, "C: EHLO x", "EHLO x"));
        assertThat(main.get(2)).isEqualTo(new DialogStep.ExpectReply(5, "S~ 250", 250));
        assertThat(((DialogStep.SendRaw) main.get(3)).escaped()).isEqualTo("a\\r\\n.\\n\\x00");
        assertThat(main.get(4)).isEqualTo(new DialogStep.SendData(7, "C! 100", "100", "0", 1));
        assertThat(main.get(5)).isEqualTo(new DialogStep.SendData(8, "C! 100 from {off} seed 7", "100", "{off}", 7));
        assertThat(script.connections().get(1).steps())
                .containsExactly(new DialogStep.ExpectClosed(11, "S: <closed>"), new DialogStep.Cut(12, "!cut"));
    }

    @Test
    void malformedLinesNameTheLine() {
        assertThatThrownBy(() -> DialogScript.parse("x.dialog", "S: 220 *\nHELO\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("x.dialog:2: unknown directive");
        assertThatThrownBy(() -> DialogScript.parse("x.dialog", "S: 22 *\n"))
                .hasMessageStartingWith("x.dialog:1:");
        assertThatThrownBy(() -> DialogScript.parse("x.dialog", "S: 250_x\n"))
                .hasMessageStartingWith("x.dialog:1:");
        assertThatThrownBy(() -> DialogScript.parse("x.dialog", "C~ no quotes\n"))
                .hasMessageStartingWith("x.dialog:1: C~ needs");
        assertThatThrownBy(() -> DialogScript.parse("x.dialog", "C~ 'bad \\q'\n"))
                .hasMessageStartingWith("x.dialog:1: unknown escape");
        assertThatThrownBy(() -> DialogScript.parse("x.dialog", "S~ 25\n"))
                .hasMessageStartingWith("x.dialog:1:");
        assertThatThrownBy(() -> DialogScript.parse("x.dialog", "!cut\nC: NOOP\n"))
                .hasMessageStartingWith("x.dialog:2: no steps allowed after !cut");
        assertThatThrownBy(() -> DialogScript.parse("x.dialog", "# nothing\n"))
                .hasMessageContaining("no steps");
    }

    @Test
    void loadsFromClasspathAndReportsMissingResources() {
        DialogScript script = DialogScript.fromResource("dialogs/testkit/restart.dialog");
        assertThat(script.name()).isEqualTo("dialogs/testkit/restart.dialog");
        assertThat(script.connections()).extracting(DialogScript.Connection::name)
                .containsExactly("interrupted", "resumed", "replayed");
        assertThatThrownBy(() -> DialogScript.fromResource("dialogs/none.dialog"))
                .hasMessageContaining("not found");
    }

    @Test
    void escapesRoundTrip() {
        byte[] raw = Escapes.unescape("a\\r\\n\\0\\\\\\'\\x7f\\t\u00e9");
        assertThat(raw).containsExactly('a', '\r', '\n', 0, '\\', '\'', 0x7f, '\t', 0xc3, 0xa9);
        assertThat(Escapes.show(raw)).isEqualTo("a\\r\\n\\0\\\\'\\x7f\\t\\xc3\\xa9");
        assertThatThrownBy(() -> Escapes.unescape("\\x4")).hasMessageContaining("two hex digits");
        assertThatThrownBy(() -> Escapes.unescape("x\\")).hasMessageContaining("dangling");
    }
}
